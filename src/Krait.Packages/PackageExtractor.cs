using System.Formats.Tar;
using System.IO.Compression;
using Krait.Conda;
using ZstdSharp;

namespace Krait.Packages;

/// <summary>
/// Unpacks a conda package (<c>.conda</c>: a zip of <c>info-*.tar.zst</c> and <c>pkg-*.tar.zst</c>; or <c>.tar.bz2</c>)
/// into a folder, treating the archive as hostile: entries may not be absolute, climb out with <c>..</c>, pass
/// through a symlink, be devices or fifos, or link outside the folder, and the total size is bounded. Everything is
/// written to a sibling folder first and renamed into place at the end, so the destination is either absent or whole.
/// </summary>
public static class PackageExtractor
{
    /// <summary>Extracts <paramref name="archivePath"/> to <paramref name="destination"/>, which must not exist yet.</summary>
    public static void Extract(string archivePath, string destination, ExtractionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        ArgumentNullException.ThrowIfNull(destination);
        limits ??= ExtractionLimits.Default;
        destination = Path.GetFullPath(destination);
        if (Directory.Exists(destination) || File.Exists(destination))
        {
            throw new IOException($"cannot extract {archivePath}: {destination} already exists");
        }

        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var budget = new ExtractionBudget(archivePath, limits);
            if (archivePath.EndsWith(PackageFileName.CondaExtension, StringComparison.OrdinalIgnoreCase))
            {
                ExtractConda(archivePath, staging, budget);
            }
            else if (archivePath.EndsWith(PackageFileName.TarBz2Extension, StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(archivePath);
                using var bzip2 = Bzip2Decoder.Open(file);
                ExtractTar(bzip2, archivePath, staging, budget);
            }
            else
            {
                throw new HostileArchiveException(archivePath, null, "is neither a .conda nor a .tar.bz2 file");
            }

            Directory.Move(staging, destination);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or EndOfStreamException or ZstdException or SharpCompress.Common.SharpCompressException)
        {
            throw new HostileArchiveException(archivePath, null, $"is damaged ({e.Message})", e);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void ExtractConda(string archivePath, string staging, ExtractionBudget budget)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        var inner = zip.Entries
            .Where(e => e.FullName.EndsWith(".tar.zst", StringComparison.Ordinal) && (e.FullName.StartsWith("info-", StringComparison.Ordinal) || e.FullName.StartsWith("pkg-", StringComparison.Ordinal)))
            .ToList();
        if (!inner.Any(e => e.FullName.StartsWith("info-", StringComparison.Ordinal)))
        {
            throw new HostileArchiveException(archivePath, null, "has no info-*.tar.zst inside (not a .conda package)");
        }

        foreach (var entry in inner)
        {
            using var compressed = entry.Open();
            using var zstd = new DecompressionStream(compressed, bufferSize: 0, checkEndOfStream: true, leaveOpen: false);
            ExtractTar(zstd, archivePath, staging, budget);
        }
    }

    private static void ExtractTar(Stream decompressed, string archivePath, string root, ExtractionBudget budget)
    {
        using var limited = new LimitedReadStream(decompressed, budget.Remaining, () => budget.Exceeded());
        using var tar = new TarReader(limited, leaveOpen: true);
        while (tar.GetNextEntry() is { } entry)
        {
            budget.CountEntry();
            var relative = SafeRelativePath(archivePath, entry.Name);
            if (relative is null)
            {
                continue; // the archive root itself ("./")
            }

            var target = Path.Combine(root, relative);
            EnsureNoSymlinkOnTheWay(archivePath, entry.Name, root, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.Length > budget.Limits.MaxEntryBytes)
                    {
                        throw new HostileArchiveException(archivePath, entry.Name, $"is {entry.Length} bytes, above the {budget.Limits.MaxEntryBytes}-byte limit per file");
                    }

                    WriteFile(entry, target);
                    break;
                case TarEntryType.SymbolicLink:
                    CreateSymlink(archivePath, entry, root, relative, target);
                    break;
                case TarEntryType.HardLink:
                    var source = SafeRelativePath(archivePath, entry.LinkName)
                        ?? throw new HostileArchiveException(archivePath, entry.Name, "is a hard link to the archive root");
                    var sourcePath = Path.Combine(root, source);
                    if (!File.Exists(sourcePath) || File.GetAttributes(sourcePath).HasFlag(FileAttributes.ReparsePoint))
                    {
                        throw new HostileArchiveException(archivePath, entry.Name, $"is a hard link to '{entry.LinkName}', which is not a regular file earlier in the package");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(sourcePath, target, overwrite: true);
                    break;
                default:
                    throw new HostileArchiveException(archivePath, entry.Name, $"is a {entry.EntryType} entry; packages may hold only files, folders and links");
            }
        }

        budget.Spend(limited.BytesRead);
    }

    private static void WriteFile(TarEntry entry, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target) || Directory.Exists(target))
        {
            // A later entry for the same path wins, as with tar; a folder in the way is an error below.
            File.Delete(target);
        }

        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            entry.DataStream?.CopyTo(output);
        }

        if (!OperatingSystem.IsWindows())
        {
            // Keep the executable bits; never set-uid/set-gid/sticky from an archive.
            File.SetUnixFileMode(target, (entry.Mode & (UnixFileMode)0x1FF) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void CreateSymlink(string archivePath, TarEntry entry, string root, string relative, string target)
    {
        var linkTarget = entry.LinkName;
        if (string.IsNullOrEmpty(linkTarget) || Path.IsPathRooted(linkTarget) || linkTarget.Contains('\0', StringComparison.Ordinal))
        {
            throw new HostileArchiveException(archivePath, entry.Name, $"is a symlink to '{linkTarget}'; links must be relative and stay inside the package");
        }

        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(root, relative))!, linkTarget));
        if (!IsInside(root, resolved))
        {
            throw new HostileArchiveException(archivePath, entry.Name, $"is a symlink to '{linkTarget}', which leaves the package");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target) || Directory.Exists(target))
        {
            File.Delete(target);
        }

        File.CreateSymbolicLink(target, linkTarget);
    }

    /// <summary>The entry's path relative to the package root, or null for the root itself; throws for anything that could leave it.</summary>
    private static string? SafeRelativePath(string archivePath, string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new HostileArchiveException(archivePath, name, "has a NUL or backslash in its path");
        }

        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':'))
        {
            throw new HostileArchiveException(archivePath, name, "has an absolute path");
        }

        var segments = new List<string>();
        foreach (var segment in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                throw new HostileArchiveException(archivePath, name, "climbs out of the package with '..'");
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return segments.Count == 0 ? null : Path.Combine([.. segments]);
    }

    /// <summary>Refuses to write through a symlink an earlier entry made ("lib -> /etc", then "lib/passwd").</summary>
    private static void EnsureNoSymlinkOnTheWay(string archivePath, string name, string root, string relative)
    {
        var current = root;
        var parts = relative.Split(Path.DirectorySeparatorChar);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var exists = File.Exists(current) || Directory.Exists(current) || new FileInfo(current).LinkTarget is not null;
            if (exists && File.GetAttributes(current).HasFlag(FileAttributes.ReparsePoint))
            {
                throw new HostileArchiveException(archivePath, name, $"would be written through the symlink '{parts[i]}'");
            }
        }
    }

    private static bool IsInside(string root, string path) =>
        path.Equals(root, StringComparison.Ordinal) || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>What one package may still unpack: shared by the inner tarballs of a .conda.</summary>
    private sealed class ExtractionBudget(string archive, ExtractionLimits limits)
    {
        private long spent;
        private int entries;

        public ExtractionLimits Limits => limits;

        public long Remaining => limits.MaxTotalBytes - spent;

        public void Spend(long bytes) => spent += bytes;

        public void CountEntry()
        {
            if (++entries > limits.MaxEntries)
            {
                throw new HostileArchiveException(archive, null, $"has more than {limits.MaxEntries} entries");
            }
        }

        public HostileArchiveException Exceeded() => new HostileArchiveException(archive, null, $"unpacks to more than {limits.MaxTotalBytes} bytes (a decompression bomb?)");
    }
}
