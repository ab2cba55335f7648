using System.Text;

namespace Krait.Packages;

/// <summary>One payload entry of a package that <see cref="PackageBuilder"/> makes: a file, or a symlink when <see cref="SymlinkTarget"/> is set.</summary>
public sealed record PackageFile
{
    /// <summary>Where it goes, relative to the package root, with '/' separators (<c>bin/tool</c>, <c>site-packages/x/__init__.py</c>).</summary>
    public required string Path { get; init; }

    public byte[] Content { get; init; } = [];

    public bool Executable { get; init; }

    /// <summary>
    /// Overrides how the prefix placeholder is replaced. Left null, a file containing the placeholder is marked
    /// <see cref="PrefixMode.Text"/>, or <see cref="PrefixMode.Binary"/> when it has a NUL byte (conda-build's test).
    /// </summary>
    public PrefixMode? PrefixMode { get; init; }

    /// <summary>A relative link target inside the package; the entry is then a symlink and has no content.</summary>
    public string? SymlinkTarget { get; init; }

    public static PackageFile Text(string path, string text, bool executable = false) =>
        new() { Path = path, Content = Encoding.UTF8.GetBytes(text), Executable = executable };

    public static PackageFile Binary(string path, byte[] content, bool executable = false) =>
        new() { Path = path, Content = content, Executable = executable };

    public static PackageFile Symlink(string path, string target) => new() { Path = path, SymlinkTarget = target };
}
