using System.Diagnostics.CodeAnalysis;

namespace Krait.Conda;

/// <summary>
/// A conda package version ordered exactly like conda's VersionOrder.
/// STUB: the real implementation replaces this file.
/// </summary>
public sealed class Version : IComparable<Version>, IEquatable<Version>
{
    private Version(string text) => Text = text;

    /// <summary>The version exactly as written (conda keeps the original string).</summary>
    public string Text { get; }

    public static Version Parse(string text) => throw new NotImplementedException(text);

    public static bool TryParse(string text, [NotNullWhen(true)] out Version? version)
    {
        version = null;
        return false;
    }

    public int CompareTo(Version? other) => throw new NotImplementedException();

    public bool Equals(Version? other) => throw new NotImplementedException();

    public override bool Equals(object? obj) => obj is Version v && Equals(v);

    public override int GetHashCode() => throw new NotImplementedException();

    public override string ToString() => Text;
}
