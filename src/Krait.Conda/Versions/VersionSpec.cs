namespace Krait.Conda.Versions;

/// <summary>
/// A conda version constraint such as <c>&gt;=1.2,&lt;2|3.1.*</c>: relations, prefixes, globs and regexes,
/// combined with <c>,</c> (and, binding tighter) and <c>|</c> (or), with parentheses.
/// </summary>
public abstract class VersionSpec
{
    private protected VersionSpec()
    {
    }

    /// <summary>Matches every version (<c>*</c>).</summary>
    public static VersionSpec Any { get; } = new AnyVersionSpec();

    public static VersionSpec Parse(string text) => VersionSpecParser.Parse(text);

    public abstract bool Matches(Version version);

    /// <summary>True for <c>==X</c> or a bare version: exactly one version (up to zero padding) matches.</summary>
    public virtual bool IsExact => false;

    /// <summary>True for <c>*</c>.</summary>
    public virtual bool MatchesAll => false;
}

internal sealed class AnyVersionSpec : VersionSpec
{
    public override bool Matches(Version version) => true;

    public override bool MatchesAll => true;

    public override string ToString() => "*";
}
