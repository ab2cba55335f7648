using System.Text.Json;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Packages;

/// <summary>
/// The package caches (conda's <c>pkgs_dirs</c> layout): each archive once, verified, beside its extracted folder
/// with <c>info/repodata_record.json</c> written like conda writes it. Of several folders (conda's or mamba's among
/// them) the first writable one receives new entries; the others are only read, and an entry of theirs whose record
/// matches is used as it is. Entries are locked across processes while they are checked or made, and an entry whose
/// record does not match (a damaged or foreign one) is made again.
/// </summary>
public sealed partial class PackageCache
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);
    private string? writable;

    public PackageCache(string directory)
        : this([directory])
    {
    }

    public PackageCache(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0)
        {
            throw new ArgumentException("at least one package cache folder is needed", nameof(directories));
        }

        Directories = [.. directories.Select(Path.GetFullPath)];
    }

    /// <summary>Every cache folder, in the order they are searched.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>The folder new entries go to: the first that can be written.</summary>
    public string Directory => writable ??= FirstWritable();

    /// <summary>True when some cache folder has the package extracted, or its verified archive: nothing needs fetching.</summary>
    public bool Holds(PackageRecord record)
    {
        var stem = Stem(record);
        return Directories.Any(d => Matches(Path.Combine(d, stem), record) || IsVerified(Path.Combine(d, record.FileName), record));
    }

    /// <summary>The folder of some cache that already holds <paramref name="record"/> unpacked, or null; nothing is written.</summary>
    public string? FindExtracted(PackageRecord record)
    {
        var stem = Stem(record);
        return Directories.Select(d => Path.Combine(d, stem)).FirstOrDefault(e => Matches(e, record));
    }

    /// <summary>The extracted folder of <paramref name="record"/>, made from <paramref name="archivePath"/> if no cache has it.</summary>
    public string Ensure(PackageRecord record, string archivePath) => Ensure(record, () => archivePath);

    /// <summary>
    /// The extracted folder of <paramref name="record"/>; <paramref name="archiveSource"/> (which may download) is
    /// asked for the archive only when no cache holds the package, extracted or as a verified archive. A cache that
    /// cannot be written is only read: when it already holds every package, no writable cache is needed at all.
    /// </summary>
    public string Ensure(PackageRecord record, Func<string> archiveSource)
    {
        ArgumentNullException.ThrowIfNull(archiveSource);
        var stem = Stem(record);
        foreach (var directory in Directories)
        {
            if (Matches(Path.Combine(directory, stem), record))
            {
                return Path.Combine(directory, stem);
            }
        }

        string? archiveElsewhere = null;
        foreach (var directory in Directories)
        {
            if (directory != Directory && IsVerified(Path.Combine(directory, record.FileName), record))
            {
                archiveElsewhere = Path.Combine(directory, record.FileName);
                break;
            }
        }

        return EnsureWritable(record, archiveElsewhere is null ? archiveSource : () => archiveElsewhere, stem);
    }

    /// <summary>The record's file name stem, once more checked to be one safe path segment: it names folders in the cache.</summary>
    private static string Stem(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (PackageFileName.Problem(record.FileName, record.Name, record.Version, record.Build) is { } problem)
        {
            throw new InvalidPackageRecordException("the package cache", record.FileName, problem);
        }

        return PackageFileName.Stem(record.FileName);
    }

    private string EnsureWritable(PackageRecord record, Func<string> archiveSource, string stem)
    {
        System.IO.Directory.CreateDirectory(Directory);
        SweepStaleOnce();
        var extracted = Path.Combine(Directory, stem);
        using var entryLock = CacheLock.Acquire(Path.Combine(Directory, $"{stem}.lock"), LockTimeout);
        if (Matches(extracted, record))
        {
            return extracted;
        }

        // Holding the entry's lock, nobody else is making this entry: anything half-made for it is stale.
        RemoveStale(Directory, stem, record.FileName);
        if (System.IO.Directory.Exists(extracted))
        {
            System.IO.Directory.Delete(extracted, recursive: true);
        }

        var cachedArchive = Path.Combine(Directory, record.FileName);
        if (!IsVerified(cachedArchive, record) && Path.GetFullPath(archiveSource()) is var archivePath && !string.Equals(archivePath, cachedArchive, StringComparison.Ordinal))
        {
            var partial = $"{cachedArchive}{CopySuffix}{Environment.ProcessId}";
            FileKinds.RequireRegularFile(archivePath, "the package");
            try
            {
                File.Copy(archivePath, partial, overwrite: true);
                File.Move(partial, cachedArchive, overwrite: true);
            }
            finally
            {
                // A full disk leaves a half-copied archive: never keep it.
                File.Delete(partial);
            }
        }

        Verify(cachedArchive, record);
        var mismatches = PackageExtractor.Extract(cachedArchive, extracted);
        PayloadCheck.WriteMarker(extracted, mismatches);
        WriteRepodataRecord(extracted, record);
        return extracted;
    }

    private const string CopySuffix = ".copying-";
    private bool swept;

    /// <summary>
    /// Once per process, the first time this cache is written: removes what killed krait processes left half-made
    /// (extraction staging folders and archive copies) for entries nobody holds the lock of now.
    /// </summary>
    private void SweepStaleOnce()
    {
        if (swept)
        {
            return;
        }

        swept = true;
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(Directory, ".*" + PackageExtractor.StagingMarker + "*").Concat(System.IO.Directory.EnumerateFiles(Directory, "*" + CopySuffix + "*")))
        {
            var name = Path.GetFileName(path);
            var stem = name.Contains(CopySuffix, StringComparison.Ordinal)
                ? PackageFileName.Stem(name[..name.IndexOf(CopySuffix, StringComparison.Ordinal)])
                : name[1..name.IndexOf(PackageExtractor.StagingMarker, StringComparison.Ordinal)];
            if (CacheLock.TryAcquire(Path.Combine(Directory, $"{stem}.lock")) is { } free)
            {
                using (free)
                {
                    RemoveStale(Directory, stem, null);
                }
            }
        }
    }

    private static void RemoveStale(string directory, string stem, string? fileName)
    {
        foreach (var staging in System.IO.Directory.EnumerateDirectories(directory, PackageExtractor.StagingPrefix(stem) + "*"))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }

        foreach (var copy in System.IO.Directory.EnumerateFiles(directory, (fileName ?? stem + ".*") + CopySuffix + "*"))
        {
            File.Delete(copy);
        }
    }

    private string FirstWritable()
    {
        foreach (var directory in Directories)
        {
            try
            {
                System.IO.Directory.CreateDirectory(directory);
                using (File.Create(Path.Combine(directory, $".krait-write-test-{Environment.ProcessId}"), 1, FileOptions.DeleteOnClose))
                {
                }

                return directory;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Read-only (a shared or system cache): searched, never written.
            }
        }

        throw new UnauthorizedAccessException($"none of the package caches can be written: {string.Join(", ", Directories)}; add a writable one to pkgs_dirs (or CONDA_PKGS_DIRS)");
    }

    /// <summary>An archive already in the cache is reused when it passes verification (at most once per process: <see cref="Verify"/>).</summary>
    private bool IsVerified(string archive, PackageRecord record)
    {
        if (FileKinds.Of(archive) != FileKind.Regular)
        {
            return false;
        }

        try
        {
            Verify(archive, record);
            return PackageVerifier.Expected(record).HasHash;
        }
        catch (DigestMismatchException)
        {
            return false;
        }
    }

    /// <summary>True when the folder was extracted from this very record (its sha256, else md5, else name-version-build).</summary>
    public static bool Matches(string extracted, PackageRecord record)
    {
        var path = Path.Combine(extracted, "info", "repodata_record.json");
        if (FileKinds.Of(path) != FileKind.Regular)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (record.Sha256 is { Length: > 0 } sha256)
            {
                return string.Equals(root.String("sha256"), sha256, StringComparison.OrdinalIgnoreCase);
            }

            if (record.Md5 is { Length: > 0 } md5)
            {
                return string.Equals(root.String("md5"), md5, StringComparison.OrdinalIgnoreCase);
            }

            return root.String("name") == record.Name && root.String("version") == record.Version && root.String("build") == record.Build;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteRepodataRecord(string extracted, PackageRecord record)
    {
        var path = Path.Combine(extracted, "info", "repodata_record.json");
        var partial = path + ".partial";
        using (var stream = File.Create(partial))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            RecordJson.Write(writer, record, RecordJsonStyle.CondaDump);
        }

        File.Move(partial, path, overwrite: true);
    }
}
