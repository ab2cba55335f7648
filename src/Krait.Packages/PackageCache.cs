using System.Text.Json;
using Krait.Conda;
using Krait.Repodata;

namespace Krait.Packages;

/// <summary>
/// A package cache folder (conda's <c>pkgs_dirs</c> layout): each archive once, verified, beside its extracted folder
/// with <c>info/repodata_record.json</c> written like conda writes it. Entries are locked across processes while they
/// are checked or made, and an entry whose record does not match (a damaged or foreign one) is made again.
/// </summary>
public sealed class PackageCache(string directory)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The extracted folder of <paramref name="record"/>, made from <paramref name="archivePath"/> if needed.</summary>
    public string Ensure(PackageRecord record, string archivePath)
    {
        ArgumentNullException.ThrowIfNull(record);
        System.IO.Directory.CreateDirectory(Directory);
        var stem = PackageFileName.Stem(record.FileName);
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
        if (!string.Equals(Path.GetFullPath(archivePath), cachedArchive, StringComparison.Ordinal) && !IsVerified(cachedArchive, record))
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
