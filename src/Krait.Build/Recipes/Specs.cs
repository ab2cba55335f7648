namespace Krait.Build.Recipes;

/// <summary>How a variant value becomes a version constraint in a requirement.</summary>
public static class Specs
{
    /// <summary>
    /// <c>3.11</c> → <c>3.11.*</c> (conda-build's and rattler-build's reading of a bare version in a variant);
    /// anything with an operator, a wildcard or a build part (<c>3.11.* *_cpython</c>, <c>&gt;=1.2</c>) as it is.
    /// </summary>
    public static string VersionSpecText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny("<>=!*|, ") >= 0 ? value : value + ".*";
    }
}
