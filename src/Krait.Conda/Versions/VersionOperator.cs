namespace Krait.Conda.Versions;

/// <summary>How a single version constraint compares a candidate with its version.</summary>
public enum VersionOperator
{
    /// <summary><c>==1.2</c> or a bare <c>1.2</c>: equal, with conda's zero padding (<c>1.2.0</c> matches).</summary>
    Equal,

    /// <summary><c>!=1.2</c>.</summary>
    NotEqual,

    Less,

    LessOrEqual,

    Greater,

    GreaterOrEqual,

    /// <summary><c>1.2.*</c>, <c>1.2*</c> or <c>=1.2</c>: component-wise prefix (<c>1.2.5</c> yes, <c>1.20</c> no).</summary>
    StartsWith,

    /// <summary><c>!=1.2.*</c>.</summary>
    NotStartsWith,

    /// <summary><c>~=1.2.3</c>: at least 1.2.3 and starting with 1.2.</summary>
    Compatible,
}
