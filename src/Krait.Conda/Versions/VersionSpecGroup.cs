namespace Krait.Conda.Versions;

/// <summary>Several specs joined by <c>,</c> (all must match) or <c>|</c> (one must match).</summary>
public sealed class VersionSpecGroup : VersionSpec
{
    private readonly VersionSpec[] parts;

    internal VersionSpecGroup(bool isAnd, VersionSpec[] parts)
    {
        IsAnd = isAnd;
        this.parts = parts;
    }

    /// <summary>True for <c>,</c> (and), false for <c>|</c> (or).</summary>
    public bool IsAnd { get; }

    public IReadOnlyList<VersionSpec> Parts => parts;

    public override bool Matches(Version version)
    {
        if (IsAnd)
        {
            foreach (var part in parts)
            {
                if (!part.Matches(version))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var part in parts)
        {
            if (part.Matches(version))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString()
    {
        var separator = IsAnd ? "," : "|";
        var rendered = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            // conda writes an "or" nested inside an "and" in parentheses.
            rendered[i] = IsAnd && parts[i] is VersionSpecGroup { IsAnd: false } ? $"({parts[i]})" : parts[i].ToString()!;
        }

        return string.Join(separator, rendered);
    }
}
