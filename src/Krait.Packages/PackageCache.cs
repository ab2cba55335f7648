using System.Text.Json;
using Krait.Conda;
using Krait.Repodata;

namespace Krait.Packages;

/// <summary>
/// The package caches (conda's <c>pkgs_dirs</c> layout): each archive once, verified, beside its extracted folder
/// with <c>info/repodata_record.json</c> written like conda writes it. Of several folders (conda's or mamba's among
/// them) the first writable one receives new entries; the others are only read, and an entry of theirs whose record
/// matches is used as it is. Entries are locked across processes while they are checked or made, and an entry whose
/// record does not match (a damaged or foreign one) is made again.
/// </summary>
public sealed class PackageCache
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
        ArgumentNullException.ThrowIfNull(record);
        var stem = PackageFileName.Stem(record.FileName);
        return Directories.Any(d => Matches(Path.Combine(d, stem), record) || IsVerified(Path.Combine(d, record.FileName), record));
    }

    /// <summary>The extracted folder of <paramref name="record"/>, made from <paramref name="archivePath"/> if no cache has it.</summary>
    public string Ensure(PackageRecord record, string archivePath) => Ensure(record, () => archivePath);

    /// <summary>
    /// The extracted folder of <paramref name="record"/>; <paramref name="archiveSource"/> (which may download) is
    /// asked for the archive only when no cache holds the package, extracted or as a verified archive.
    /// </summary>
    public string Ensure(PackageRecord record, Func<string> archiveSource)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(archiveSource);
        var stem = PackageFileName.Stem(record.FileName);
        string? archiveElsewhere = null;
        foreach (var directory in Directories)
        {
            if (directory == Directory)
            {
                continue;
            }

            if (Matches(Path.Combine(directory, stem), record))
            {
                return Path.Combine(directory, stem);
            }

            if (archiveElsewhere is null && IsVerified(Path.Combine(directory, record.FileName), record))
            {
                archiveElsewhere = Path.Combine(directory, record.FileName);
            }
        }

        return EnsureWritable(record, archiveElsewhere is null ? archiveSource : () => archiveElsewhere, stem);
    }

    private string EnsureWritable(PackageRecord record, Func<string> archiveSource, string stem)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var extracted = Path.Combine(Directory, stem);
        using var entryLock = CacheLock.Acquire(Path.Combine(Directory, $"{stem}.lock"), LockTimeout);
        if (Matches(extracted, record))
        {
            return extracted;
        }

        if (System.IO.Directory.Exists(extracted))
        {
            System.IO.Directory.Delete(extracted, recursive: true);
        }

        var cachedArchive = Path.Combine(Directory, record.FileName);
        if (!IsVerified(cachedArchive, record) && Path.GetFullPath(archiveSource()) is var archivePath && !string.Equals(archivePath, cachedArchive, StringComparison.Ordinal))
        {
            var partial = $"{cachedArchive}.partial-{Environment.ProcessId}";
            File.Copy(archivePath, partial, overwrite: true);
            File.Move(partial, cachedArchive, overwrite: true);
        }

        PackageVerifier.Verify(cachedArchive, record);
        PackageExtractor.Extract(cachedArchive, extracted);
        WriteRepodataRecord(extracted, record);
        return extracted;
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

    /// <summary>An archive already in the cache is reused when it passes verification.</summary>
    private static bool IsVerified(string archive, PackageRecord record)
    {
        if (!File.Exists(archive))
        {
            return false;
        }

        try
        {
            PackageVerifier.Verify(archive, record);
            return record.Sha256 is { Length: > 0 } || record.Md5 is { Length: > 0 };
        }
        catch (HostileArchiveException)
        {
            return false;
        }
    }

    /// <summary>True when the folder was extracted from this very record (its sha256, else md5, else name-version-build).</summary>
    public static bool Matches(string extracted, PackageRecord record)
    {
        var path = Path.Combine(extracted, "info", "repodata_record.json");
        if (!File.Exists(path))
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
