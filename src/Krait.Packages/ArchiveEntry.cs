using System.Formats.Tar;
using System.Text;

namespace Krait.Packages;

/// <summary>
/// One tar entry exactly as <see cref="PackageWriter.WriteEntries"/> writes it, nothing checked: a name, a type,
/// content for files and a target for links. What hostile-package tests build their attacks from; real packages
/// are written from a folder with <see cref="PackageWriter.Write"/>, which refuses what the extractor would refuse.
/// </summary>
public sealed record ArchiveEntry(string Name, TarEntryType Type, byte[]? Content = null, string? LinkTarget = null)
{
    public UnixFileMode Mode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static ArchiveEntry File(string name, string text) => new(name, TarEntryType.RegularFile, Encoding.UTF8.GetBytes(text));

    public static ArchiveEntry File(string name, byte[] content) => new(name, TarEntryType.RegularFile, content);

    public static ArchiveEntry Folder(string name) => new(name, TarEntryType.Directory);

    public static ArchiveEntry Symlink(string name, string target) => new(name, TarEntryType.SymbolicLink, LinkTarget: target);

    public static ArchiveEntry HardLink(string name, string target) => new(name, TarEntryType.HardLink, LinkTarget: target);

    public bool IsInfo => Name.StartsWith("info/", StringComparison.Ordinal);
}
