using System.Formats.Tar;

namespace Krait.Packages;

/// <summary>One thing to archive: a regular file, a symlink or an empty folder, with its normalised mode.</summary>
internal sealed record PackageTreeEntry(string RelativePath, string FullPath, TarEntryType Type, UnixFileMode Mode, string? LinkTarget)
{
    public bool IsInfo => RelativePath.StartsWith("info/", StringComparison.Ordinal);
}

/// <summary>
/// Lists an extracted package folder for archiving, in a fixed order (ordinal by '/'-separated path) so the same
/// folder always gives the same archive. Symlinks are kept as links and never followed; a link that is absolute or
/// points outside the package is refused, because the extractor (ours and everyone else's) would refuse it too.
/// </summary>
internal static class PackageTree
{
    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static List<PackageTreeEntry> List(string packageDirectory)
    {
        var root = Path.GetFullPath(packageDirectory);
        if (!File.Exists(Path.Combine(root, "info", "index.json")))
        {
            throw new PackageLayoutException(packageDirectory, null, "has no info/index.json (not an extracted conda package)");
        }

        var entries = new List<PackageTreeEntry>();
        Walk(packageDirectory, root, root, entries);
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return entries;
    }

    private static void Walk(string packageDirectory, string root, string directory, List<PackageTreeEntry> entries)
    {
        var children = new DirectoryInfo(directory).GetFileSystemInfos();
        if (children.Length == 0 && directory != root)
        {
            // Empty folders are part of some packages (a plugin folder, a log folder); keep them.
            entries.Add(new PackageTreeEntry(Relative(root, directory), directory, TarEntryType.Directory, ReadWrite | Execute, null));
            return;
        }

        foreach (var child in children)
        {
            var relative = Relative(root, child.FullName);
            if (child.LinkTarget is { } target)
            {
                CheckLink(packageDirectory, relative, target);
                entries.Add(new PackageTreeEntry(relative, child.FullName, TarEntryType.SymbolicLink, ReadWrite | Execute, target));
            }
            else if (child is DirectoryInfo)
            {
                Walk(packageDirectory, root, child.FullName, entries);
            }
            else if (child.Attributes.HasFlag(FileAttributes.Device) || !File.Exists(child.FullName))
            {
                throw new PackageLayoutException(packageDirectory, relative, "is neither a file, a folder nor a symlink");
            }
            else
            {
                entries.Add(new PackageTreeEntry(relative, child.FullName, TarEntryType.RegularFile, FileMode(child.FullName), null));
            }
        }
    }

    /// <summary>rw-r--r-- plus whichever execute bits the file has: what a package needs, independent of the umask it was made under.</summary>
    private static UnixFileMode FileMode(string path) =>
        OperatingSystem.IsWindows() ? ReadWrite : ReadWrite | (File.GetUnixFileMode(path) & Execute);

    /// <summary>The extractor's rule (<see cref="SymlinkTargets"/>): an archive it would refuse is never written.</summary>
    private static void CheckLink(string packageDirectory, string relative, string target)
    {
        if (SymlinkTargets.Problem(target, SymlinkTargets.ParentDepth(relative)) is { } problem)
        {
            throw new PackageLayoutException(packageDirectory, relative, $"is a symlink that {problem}");
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
