using System.Text.Json;
using Krait.Files;
using Krait.Packages;

namespace Krait.Install;

/// <summary>What <c>krait clean</c> can free: archives, extracted packages, the repodata cache, free lock files.</summary>
public enum CacheItemKind
{
    Tarball,
    Package,
    IndexCache,
    Lock,
}

/// <summary>One thing in a package cache that can go, and its size in bytes.</summary>
public sealed record CacheItem(CacheItemKind Kind, string Path, long Size);

/// <summary>
/// Finds and frees what no environment needs in the writable package caches, as <c>conda clean</c> does. An extracted
/// package stays while any environment uses it: while a file of it has another name (a hard link into an environment,
/// the way conda and Krait link), or an environment's <c>conda-meta</c> names it as where its files came from (which
/// also covers copies and symlinks); where link counts cannot be read, every package counts as used. Archives and
/// packages are removed under their cache entry's lock, so never under a krait that is extracting them.
/// </summary>
public static class PackageCacheCleaning
{
    public static IReadOnlyList<CacheItem> Find(IReadOnlyList<string> pkgsDirs, IReadOnlyList<string> environments, IReadOnlySet<CacheItemKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(pkgsDirs);
        ArgumentNullException.ThrowIfNull(kinds);
        var named = kinds.Contains(CacheItemKind.Package) ? PackagesNamedBy(environments) : [];
        var items = new List<CacheItem>();
        foreach (var folder in pkgsDirs.Where(d => Directory.Exists(d) && IsWritable(d)))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(entry);
                switch (FileKinds.Of(entry))
                {
                    case FileKind.Regular when kinds.Contains(CacheItemKind.Tarball) && PackageArchive(name):
                        items.Add(new CacheItem(CacheItemKind.Tarball, entry, new FileInfo(entry).Length));
                        break;
                    case FileKind.Regular when kinds.Contains(CacheItemKind.Lock) && name.EndsWith(".lock", StringComparison.Ordinal) && IsFree(entry):
                        items.Add(new CacheItem(CacheItemKind.Lock, entry, new FileInfo(entry).Length));
                        break;
                    case FileKind.Directory when name == "cache" && kinds.Contains(CacheItemKind.IndexCache):
                        items.AddRange(Directory.EnumerateFiles(entry, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => new CacheItem(CacheItemKind.IndexCache, f, new FileInfo(f).Length)));
                        break;
                    case FileKind.Directory when kinds.Contains(CacheItemKind.Package) && File.Exists(Path.Combine(entry, "info", "index.json")) && !named.Contains(Path.GetFullPath(entry)) && !IsHardLinked(entry):
                        items.Add(new CacheItem(CacheItemKind.Package, entry, SizeOf(entry)));
                        break;
                }
            }
        }

        return items;
    }

    /// <summary>
    /// Removes the items, each under its cache entry's lock, lock files last (taking an entry's lock makes its file);
    /// returns those removed (one another krait holds is left).
    /// </summary>
    public static IReadOnlyList<CacheItem> Remove(IReadOnlyList<CacheItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var removed = new List<CacheItem>();
        foreach (var item in items.OrderBy(i => i.Kind == CacheItemKind.Lock))
        {
            if (item.Kind is CacheItemKind.Tarball or CacheItemKind.Package)
            {
                using var entryLock = CacheLock.TryAcquire(LockOf(item.Path));
                if (entryLock is null || (item.Kind == CacheItemKind.Package && IsHardLinked(item.Path)))
                {
                    continue;
                }

                FileKinds.Delete(item.Path);
            }
            else if (item.Kind == CacheItemKind.Lock)
            {
                if (!IsFree(item.Path))
                {
                    continue;
                }

                File.Delete(item.Path);
            }
            else
            {
                File.Delete(item.Path);
            }

            removed.Add(item);
        }

        return removed;
    }

    private static bool PackageArchive(string name) =>
        name.EndsWith(Conda.Records.PackageFileName.CondaExtension, StringComparison.Ordinal) || name.EndsWith(Conda.Records.PackageFileName.TarBz2Extension, StringComparison.Ordinal);

    /// <summary>The lock file of a cache entry (<c>STEM.lock</c> beside the archive and the folder).</summary>
    private static string LockOf(string path)
    {
        var name = Path.GetFileName(path);
        var stem = name.EndsWith(Conda.Records.PackageFileName.TarBz2Extension, StringComparison.Ordinal) ? name[..^Conda.Records.PackageFileName.TarBz2Extension.Length]
            : name.EndsWith(Conda.Records.PackageFileName.CondaExtension, StringComparison.Ordinal) ? name[..^Conda.Records.PackageFileName.CondaExtension.Length]
            : name;
        return Path.Combine(Path.GetDirectoryName(path)!, stem + ".lock");
    }

    private static bool IsFree(string lockFile)
    {
        using var held = CacheLock.TryAcquire(lockFile);
        return held is not null;
    }

    /// <summary>Whether a file of the folder has another name somewhere (or its link count cannot be read: then it is taken as linked).</summary>
    private static bool IsHardLinked(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            if (FileKinds.Of(file) == FileKind.Regular && FileKinds.LinkCount(file) is not 1)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The cache folders the environments' records name as their packages' source (<c>extracted_package_dir</c>, <c>link.source</c>).</summary>
    private static HashSet<string> PackagesNamedBy(IReadOnlyList<string> environments)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            var meta = Path.Combine(environment, "conda-meta");
            if (!Directory.Exists(meta))
            {
                continue;
            }

            foreach (var record in Directory.EnumerateFiles(meta, "*.json"))
            {
                try
                {
                    using var document = JsonDocument.Parse(File.ReadAllBytes(record));
                    var root = document.RootElement;
                    if (root.TryGetProperty("extracted_package_dir", out var extracted) && extracted.ValueKind == JsonValueKind.String)
                    {
                        named.Add(Path.GetFullPath(extracted.GetString()!));
                    }

                    if (root.TryGetProperty("link", out var link) && link.ValueKind == JsonValueKind.Object && link.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String)
                    {
                        named.Add(Path.GetFullPath(source.GetString()!));
                    }
                }
                catch (Exception e) when (e is JsonException or IOException or ArgumentException)
                {
                    // A record that cannot be read names nothing; the hard-link check still guards its files.
                }
            }
        }

        return named;
    }

    private static long SizeOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => FileKinds.Of(f) == FileKind.Regular).Sum(f => new FileInfo(f).Length);

    private static bool IsWritable(string folder)
    {
        var probe = Path.Combine(folder, $".krait-write-probe-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
