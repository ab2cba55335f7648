using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages.Bzip2;
using ZstdSharp;

namespace Krait.Packages;

/// <summary>
/// Unpacks a conda package (<c>.conda</c>: a zip of <c>info-*.tar.zst</c> and <c>pkg-*.tar.zst</c>; or <c>.tar.bz2</c>)
/// into a folder, treating the archive as hostile: entries may not be absolute, climb out with <c>..</c>, pass
/// through a symlink, be devices, fifos or sparse files; symlinks must have the shape <see cref="SymlinkTargets"/>
/// allows and hard links must name a regular file unpacked before them; sizes are bounded
/// (<see cref="ExtractionLimits"/>). Each file is hashed as it is written and the package's <c>info/paths.json</c>
/// is checked against what was unpacked (<see cref="PayloadCheck"/>). Everything is written to a sibling folder
/// first and renamed into place at the end, so the destination is either absent or whole.
/// </summary>
public static class PackageExtractor
{
    /// <summary>The sibling folders extraction stages in: <c>.NAME.extracting-*</c>; one left behind by a killed krait is stale.</summary>
    public static string StagingPrefix(string destinationName) => $".{destinationName}{StagingMarker}";

    /// <summary>What marks a staging folder's name: <c>.NAME</c> before it, a unique suffix after.</summary>
    public const string StagingMarker = ".extracting-";

    /// <summary>Extracts <paramref name="archivePath"/> to <paramref name="destination"/>, which must not exist yet; returns the mismatches with <c>info/paths.json</c>.</summary>
    public static IReadOnlyList<string> Extract(string archivePath, string destination, ExtractionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        ArgumentNullException.ThrowIfNull(destination);
        limits ??= ExtractionLimits.Default;
        destination = Path.GetFullPath(destination);
        if (Directory.Exists(destination) || File.Exists(destination))
        {
            throw new IOException($"cannot extract {archivePath}: {destination} already exists");
        }

        FileKinds.RequireRegularFile(archivePath, "the package");
        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, StagingPrefix(Path.GetFileName(destination)) + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var unpacked = new Unpacked(archivePath, staging, new ExtractionBudget(archivePath, limits, new FileInfo(archivePath).Length));
            if (archivePath.EndsWith(PackageFileName.CondaExtension, StringComparison.OrdinalIgnoreCase))
            {
                ExtractConda(unpacked);
            }
            else if (archivePath.EndsWith(PackageFileName.TarBz2Extension, StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(archivePath);
                using var bzip2 = Bzip2Decoder.Open(file);
                ExtractTar(bzip2, unpacked);
            }
            else
            {
                throw new HostileArchiveException(archivePath, null, "is neither a .conda nor a .tar.bz2 file");
            }

            var mismatches = PathsJson.Read(staging) is { } paths ? PayloadCheck.Compare(unpacked.Files, paths.Paths) : [];
            Directory.Move(staging, destination);
            return mismatches;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or EndOfStreamException or ZstdException
            or SharpCompress.Common.SharpCompressException or NotSupportedException or ArgumentException or OverflowException)
        {
            throw new HostileArchiveException(archivePath, null, $"is damaged or unsupported ({e.Message})", e);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The state of one extraction: where it goes, its budget, and the size and sha256 of every regular file so far.</summary>
    private sealed record Unpacked(string Archive, string Root, ExtractionBudget Budget)
    {
        public Dictionary<string, (long Size, string Sha256)> Files { get; } = new(StringComparer.Ordinal);

        /// <summary>Folders (relative) known to be real folders, not links: checked once, not once per file.</summary>
        public HashSet<string> RealFolders { get; } = new(StringComparer.Ordinal);

        /// <summary>A link or file now stands at <paramref name="relative"/>: nothing at or under it is a known folder any more.</summary>
        public void Forget(string relative)
        {
            // Every ancestor of a known folder is known, so a path that is not known has no known folder under it.
            if (RealFolders.Contains(relative))
            {
                RealFolders.RemoveWhere(f => f == relative || f.StartsWith(relative + "/", StringComparison.Ordinal));
            }
        }
    }

    private static void ExtractConda(Unpacked unpacked)
    {
        using var zip = ZipFile.OpenRead(unpacked.Archive);
        var info = zip.Entries.Where(e => IsInner(e, "info-")).ToList();
        if (info.Count == 0)
        {
            throw new HostileArchiveException(unpacked.Archive, null, "has no info-*.tar.zst inside (not a .conda package)");
        }

        // info first, whatever the zip's order: paths.json then bounds every payload file by its declared size.
        foreach (var entry in info.Concat(zip.Entries.Where(e => IsInner(e, "pkg-"))))
        {
            using var compressed = entry.Open();
            using var zstd = new DecompressionStream(compressed, bufferSize: 0, checkEndOfStream: true, leaveOpen: false);
            ExtractTar(zstd, unpacked);
        }
    }

    private static bool IsInner(ZipArchiveEntry entry, string prefix) =>
        entry.FullName.StartsWith(prefix, StringComparison.Ordinal) && entry.FullName.EndsWith(".tar.zst", StringComparison.Ordinal);

    private static void ExtractTar(Stream decompressed, Unpacked unpacked)
    {
        var budget = unpacked.Budget;
        using var limited = new LimitedReadStream(decompressed, budget.Remaining, budget.Exceeded);
        using var tar = new TarReader(limited, leaveOpen: true);
        while (tar.GetNextEntry() is { } entry)
        {
            budget.CountEntry();
            var relative = SafeRelativePath(unpacked.Archive, entry.Name);
            if (relative is null)
            {
                continue; // the archive root itself ("./")
            }

            // A later entry for the same path wins, as with tar: what is there is deleted (a link itself, never followed).
            var target = Path.Combine(unpacked.Root, relative.Replace('/', Path.DirectorySeparatorChar));
            EnsureNoSymlinkOnTheWay(unpacked, entry.Name, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (FileKinds.Of(target) is not (FileKind.Directory or FileKind.Missing))
                    {
                        unpacked.Forget(relative);
                        FileKinds.Delete(target);
                    }

                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    budget.CheckFile(entry.Name, relative, entry.Length);
                    unpacked.Forget(relative);
                    unpacked.Files[relative] = WriteFile(entry, target);
                    if (relative == "info/paths.json")
                    {
                        budget.DeclaredSizes = DeclaredSizes(unpacked.Root);
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    unpacked.Forget(relative);
                    CreateSymlink(unpacked.Archive, entry, relative, target);
                    unpacked.Files.Remove(relative);
                    break;
                case TarEntryType.HardLink:
                    unpacked.Forget(relative);
                    CopyHardLink(unpacked, entry, relative, target);
                    break;
                default:
                    throw new HostileArchiveException(unpacked.Archive, entry.Name, $"is a {entry.EntryType} entry; packages may hold only files, folders and links");
            }
        }

        budget.Spend(limited.BytesRead);
    }

    /// <summary>Writes the entry's data, hashing it on the way; returns its size and sha256.</summary>
    private static (long Size, string Sha256) WriteFile(TarEntry entry, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileKinds.Delete(target);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            if (entry.DataStream is { } data)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    for (int read; (read = data.Read(buffer)) > 0; size += read)
                    {
                        sha256.AppendData(buffer, 0, read);
                        output.Write(buffer, 0, read);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            // Keep the executable bits; never set-uid/set-gid/sticky from an archive.
            File.SetUnixFileMode(target, (entry.Mode & (UnixFileMode)0x1FF) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (size, Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }

    private static void CreateSymlink(string archivePath, TarEntry entry, string relative, string target)
    {
        if (SymlinkTargets.Problem(entry.LinkName, SymlinkTargets.ParentDepth(relative)) is { } problem)
        {
            throw new HostileArchiveException(archivePath, entry.Name, $"is a symlink that {problem}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileKinds.Delete(target);
        File.CreateSymbolicLink(target, entry.LinkName);
    }

    /// <summary>A hard link is unpacked as a copy of a regular file unpacked before it, reached without passing through any link.</summary>
    private static void CopyHardLink(Unpacked unpacked, TarEntry entry, string relative, string target)
    {
        var source = SafeRelativePath(unpacked.Archive, entry.LinkName)
            ?? throw new HostileArchiveException(unpacked.Archive, entry.Name, "is a hard link to the archive root");
        if (!unpacked.Files.TryGetValue(source, out var facts))
        {
            throw new HostileArchiveException(unpacked.Archive, entry.Name, $"is a hard link to '{entry.LinkName}', which is not a regular file earlier in the package");
        }

        if (source == relative)
        {
            return; // a link to itself: the file is already there
        }

        if (source.StartsWith(relative + "/", StringComparison.Ordinal))
        {
            throw new HostileArchiveException(unpacked.Archive, entry.Name, $"is a hard link to '{entry.LinkName}', inside the folder it would replace");
        }

        EnsureNoSymlinkOnTheWay(unpacked, entry.Name, source);
        var sourcePath = Path.Combine(unpacked.Root, source.Replace('/', Path.DirectorySeparatorChar));
        if (FileKinds.Of(sourcePath) != FileKind.Regular)
        {
            throw new HostileArchiveException(unpacked.Archive, entry.Name, $"is a hard link to '{entry.LinkName}', which is no longer a regular file");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileKinds.Delete(target);
        File.Copy(sourcePath, target);
        unpacked.Files[relative] = facts;
    }

    private static Dictionary<string, long>? DeclaredSizes(string root)
    {
        try
        {
            var paths = PathsJson.Read(root);
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in paths?.Paths ?? [])
            {
                if (entry.SizeInBytes is { } size && entry.PathType == "hardlink")
                {
                    sizes[entry.Path] = size;
                }
            }

            return sizes;
        }
        catch (InvalidDataException)
        {
            // A malformed paths.json is reported when the package is linked; the ratio bound still holds here.
            return null;
        }
    }

    /// <summary>The entry's path relative to the package root ('/'-separated), or null for the root itself; throws for anything that could leave it.</summary>
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

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>Refuses to write through a symlink an earlier entry made ("lib -> ..", then "lib/x"): every existing folder on the way must be a real one.</summary>
    private static void EnsureNoSymlinkOnTheWay(Unpacked unpacked, string name, string relative)
    {
        var slash = relative.LastIndexOf('/');
        if (slash < 0 || unpacked.RealFolders.Contains(relative[..slash]))
        {
            return;
        }

        var current = unpacked.Root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var kind = FileKinds.Of(current);
            if (kind == FileKind.Missing)
            {
                break; // made below as real folders
            }

            if (kind != FileKind.Directory)
            {
                throw new HostileArchiveException(unpacked.Archive, name, kind == FileKind.Symlink ? $"would be written through the symlink '{parts[i]}'" : $"would be written under the file '{parts[i]}'");
            }
        }

        for (var end = relative.IndexOf('/'); end > 0; end = relative.IndexOf('/', end + 1))
        {
            unpacked.RealFolders.Add(relative[..end]);
        }
    }
}
