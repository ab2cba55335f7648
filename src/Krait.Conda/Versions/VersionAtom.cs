using System.Globalization;

namespace Krait.Conda.Versions;

/// <summary>
/// One run of digits or of other characters inside a version component, ordered like conda's VersionOrder:
/// any string &lt; any number &lt; <c>post</c>; strings compare ordinally after lowercasing, with <c>dev</c>
/// (kept as <c>DEV</c>) below every other word and <c>*</c> below that.
/// </summary>
public readonly struct VersionAtom : IEquatable<VersionAtom>, IComparable<VersionAtom>
{
    // Kinds are ordered so that comparing kinds first gives conda's cross-kind order.
    private const byte TextKind = 0;
    private const byte NumberKind = 1;
    private const byte BigNumberKind = 2; // more digits than a long holds; compared by length then digits
    private const byte PostKind = 3; // conda's float('inf')

    private readonly byte kind;
    private readonly long number;
    private readonly string? text;

    private VersionAtom(byte kind, long number, string? text)
    {
        this.kind = kind;
        this.number = number;
        this.text = text;
    }

    public static VersionAtom Zero { get; } = new(NumberKind, 0, null);

    public static VersionAtom Post { get; } = new(PostKind, 0, null);

    public bool IsNumber => kind is NumberKind or BigNumberKind or PostKind;

    public bool IsText => kind == TextKind;

    public bool IsZero => kind == NumberKind && number == 0;

    /// <summary>The text of a string atom (lowercase, or <c>DEV</c>).</summary>
    public string Text => text ?? string.Empty;

    public static VersionAtom FromText(string value) => new(TextKind, 0, value);

    /// <summary>Creates a numeric atom from ASCII digits; leading zeros do not count (<c>01 == 1</c>).</summary>
    public static VersionAtom FromDigits(ReadOnlySpan<char> digits)
    {
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length <= 18)
        {
            return new(NumberKind, trimmed.IsEmpty ? 0 : long.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture), null);
        }

        return new(BigNumberKind, trimmed.Length, trimmed.ToString());
    }

    public int CompareTo(VersionAtom other)
    {
        if (kind != other.kind)
        {
            // A big number is still a number: it is larger than every long.
            return kind.CompareTo(other.kind);
        }

        return kind switch
        {
            TextKind => string.CompareOrdinal(text, other.text),
            NumberKind => number.CompareTo(other.number),
            BigNumberKind => number != other.number ? number.CompareTo(other.number) : string.CompareOrdinal(text, other.text),
            _ => 0,
        };
    }

    /// <summary>True when this string atom begins with <paramref name="prefix"/> (conda's <c>startswith</c> on the last atom).</summary>
    public bool TextStartsWith(VersionAtom prefix) =>
        kind == TextKind && prefix.kind == TextKind && text!.StartsWith(prefix.text!, StringComparison.Ordinal);

    public bool Equals(VersionAtom other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is VersionAtom other && Equals(other);

    public override int GetHashCode() => kind switch
    {
        TextKind or BigNumberKind => HashCode.Combine(kind, string.GetHashCode(text, StringComparison.Ordinal)),
        _ => HashCode.Combine(kind, number),
    };

    /// <summary>Renders the atom like conda's parsed form: numbers bare, strings quoted, post as <c>inf</c>.</summary>
    public override string ToString() => kind switch
    {
        TextKind => $"'{text}'",
        NumberKind => number.ToString(CultureInfo.InvariantCulture),
        BigNumberKind => text!,
        _ => "inf",
    };

    public static bool operator ==(VersionAtom left, VersionAtom right) => left.Equals(right);

    public static bool operator !=(VersionAtom left, VersionAtom right) => !left.Equals(right);

    public static bool operator <(VersionAtom left, VersionAtom right) => left.CompareTo(right) < 0;

    public static bool operator >(VersionAtom left, VersionAtom right) => left.CompareTo(right) > 0;

    public static bool operator <=(VersionAtom left, VersionAtom right) => left.CompareTo(right) <= 0;

    public static bool operator >=(VersionAtom left, VersionAtom right) => left.CompareTo(right) >= 0;
}
