using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Krait.Conda.Versions;

/// <summary>
/// A conda package version, ordered exactly like conda's <c>VersionOrder</c> (CEP-33): an optional epoch
/// (<c>1!2.0</c>), components split on <c>.</c> and <c>_</c> into runs of digits and letters, a local part
/// after <c>+</c> compared last, missing components equal to zero (<c>1.0 == 1.0.0</c>), and
/// <c>dev</c> &lt; other words (<c>a</c>, <c>b</c>, <c>rc</c>, …) &lt; numbers &lt; <c>post</c>, case-insensitively.
/// </summary>
/// <remarks>Hand-written: version ordering is Krait's core and runs for every candidate the solver looks at.</remarks>
public sealed class Version : IComparable<Version>, IEquatable<Version>
{
    private readonly VersionAtom[][] segments; // epoch first
    private readonly VersionAtom[][] local;
    private int hash;

    private Version(string text, VersionAtom[][] segments, VersionAtom[][] local)
    {
        Text = text;
        this.segments = segments;
        this.local = local;
    }

    /// <summary>The version exactly as written (conda keeps the original string).</summary>
    public string Text { get; }

    /// <summary>The epoch and the dotted components, each a list of atoms, as conda parses them.</summary>
    public IReadOnlyList<IReadOnlyList<VersionAtom>> Segments => segments;

    /// <summary>The local version (after <c>+</c>), parsed like the main part; empty when absent.</summary>
    public IReadOnlyList<IReadOnlyList<VersionAtom>> Local => local;

    public bool HasLocal => local.Length > 0;

    public static Version Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return VersionParser.Parse(text, out var error) ?? throw error!;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out Version? version)
    {
        version = text is null ? null : VersionParser.Parse(text, out _);
        return version is not null;
    }

    internal static Version Create(string text, VersionAtom[][] segments, VersionAtom[][] local) => new(text, segments, local);

    public int CompareTo(Version? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        var result = CompareParts(segments, other.segments);
        return result != 0 ? result : CompareParts(local, other.local);
    }

    public bool Equals(Version? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Version other && Equals(other);

    public override int GetHashCode()
    {
        if (hash == 0)
        {
            var combined = new HashCode();
            AddToHash(ref combined, segments);
            combined.Add('+');
            AddToHash(ref combined, local);
            var value = combined.ToHashCode();
            hash = value == 0 ? 1 : value;
        }

        return hash;
    }

    /// <summary>
    /// conda's prefix match used by <c>1.2.*</c> and <c>=1.2</c>: every component of <paramref name="prefix"/>
    /// but the last equals this version's, and the last matches as a whole component — so <c>0.2</c> is a prefix
    /// of <c>0.2.1</c> but not of <c>0.20</c>; a trailing word (<c>1.0a</c>) matches by string prefix.
    /// </summary>
    public bool StartsWith(Version prefix)
    {
        VersionAtom[][] mine;
        VersionAtom[][] theirs;
        if (prefix.local.Length > 0)
        {
            if (CompareParts(segments, prefix.segments) != 0)
            {
                return false;
            }

            mine = local;
            theirs = prefix.local;
        }
        else
        {
            mine = segments;
            theirs = prefix.segments;
        }

        var last = theirs.Length - 1;
        for (var i = 0; i < last; i++)
        {
            if (CompareSegments(i < mine.Length ? mine[i] : [], theirs[i]) != 0)
            {
                return false;
            }
        }

        var mineLast = last < mine.Length ? mine[last] : [];
        var theirsLast = theirs[last];
        var lastAtom = theirsLast.Length - 1;
        for (var j = 0; j < lastAtom; j++)
        {
            var a = j < mineLast.Length ? mineLast[j] : VersionAtom.Zero;
            if (a.CompareTo(theirsLast[j]) != 0)
            {
                return false;
            }
        }

        var mineAtom = lastAtom < mineLast.Length ? mineLast[lastAtom] : VersionAtom.Zero;
        var theirsAtom = theirsLast[lastAtom];
        return theirsAtom.IsText ? mineAtom.TextStartsWith(theirsAtom) : mineAtom.CompareTo(theirsAtom) == 0;
    }

    /// <summary>
    /// This version without its last dotted part (<c>3.6.3</c> → <c>3.6</c>), as conda derives the prefix of
    /// <c>~=3.6.3</c> from the text; null when there is no dot to cut at.
    /// </summary>
    public Version? DropLastComponent()
    {
        var cut = Text.LastIndexOf('.');
        return cut > 0 && TryParse(Text[..cut], out var shorter) ? shorter : null;
    }

    /// <summary>The parse rendered like conda's <c>VersionOrder.version</c> list, e.g. <c>[[0], [1], [0, 'a', 1]]</c>.</summary>
    public string ToParsedString()
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append('[').AppendJoin(", ", segments[i]).Append(']');
        }

        return builder.Append(']').ToString();
    }

    public override string ToString() => Text;

    public static bool operator ==(Version? left, Version? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Version? left, Version? right) => !(left == right);

    public static bool operator <(Version left, Version right) => left.CompareTo(right) < 0;

    public static bool operator >(Version left, Version right) => left.CompareTo(right) > 0;

    public static bool operator <=(Version left, Version right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Version left, Version right) => left.CompareTo(right) >= 0;

    /// <summary>Compares component lists with conda's padding: a missing component is empty, a missing atom is 0.</summary>
    private static int CompareParts(VersionAtom[][] left, VersionAtom[][] right)
    {
        var count = Math.Max(left.Length, right.Length);
        for (var i = 0; i < count; i++)
        {
            var result = CompareSegments(i < left.Length ? left[i] : [], i < right.Length ? right[i] : []);
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    private static int CompareSegments(VersionAtom[] left, VersionAtom[] right)
    {
        var count = Math.Max(left.Length, right.Length);
        for (var j = 0; j < count; j++)
        {
            var a = j < left.Length ? left[j] : VersionAtom.Zero;
            var b = j < right.Length ? right[j] : VersionAtom.Zero;
            var result = a.CompareTo(b);
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    /// <summary>Hashes the parts with trailing zeros and empty components dropped, so that equal versions hash alike.</summary>
    private static void AddToHash(ref HashCode combined, VersionAtom[][] parts)
    {
        var lastSegment = parts.Length - 1;
        while (lastSegment >= 0 && IsAllZero(parts[lastSegment]))
        {
            lastSegment--;
        }

        for (var i = 0; i <= lastSegment; i++)
        {
            var segment = parts[i];
            var lastAtom = segment.Length - 1;
            while (lastAtom >= 0 && segment[lastAtom].IsZero)
            {
                lastAtom--;
            }

            for (var j = 0; j <= lastAtom; j++)
            {
                combined.Add(segment[j]);
            }

            combined.Add('.');
        }
    }

    private static bool IsAllZero(VersionAtom[] segment)
    {
        foreach (var atom in segment)
        {
            if (!atom.IsZero)
            {
                return false;
            }
        }

        return true;
    }
}
