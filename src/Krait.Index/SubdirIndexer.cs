using System.Collections.Concurrent;
using System.Security.Cryptography;
using Krait.Conda.Platforms;
using Krait.Files;
using Krait.Packages;

namespace Krait.Index;

/// <summary>
/// Indexes one subdir folder: reads the archives that are new or changed since the cache (size and mtime, as
/// conda-index), reuses the rest, applies the patch instructions, and has <see cref="SubdirWriter"/> write the
/// subdir's files. An archive that cannot be indexed is skipped and reported, and is in none of the files.
/// </summary>
public sealed class SubdirIndexer(string channelRoot, string subdir, IndexOptions options)
{
    private readonly string folder = Path.Combine(channelRoot, subdir);

    /// <summary>The subdir's records as the last run left them (patched), for <c>channeldata.json</c>; set by <see cref="Run"/> or <see cref="LoadView"/>.</summary>
    public SubdirView? View { get; private set; }

    public SubdirReport Run(List<SkippedArchive> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        Directory.CreateDirectory(folder);
        var cachePath = IndexCache.PathOf(channelRoot, subdir);
        var cache = IndexCache.Load(cachePath);
        var current = new Dictionary<string, IndexedPackage>(StringComparer.Ordinal);
        var toRead = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var fileName = Path.GetFileName(path);
            if (!ChannelLayout.IsArchive(fileName))
            {
                continue;
            }

            var info = new FileInfo(path);
            if (cache.Packages.TryGetValue(fileName, out var known) && known.Matches(info.Length, info.LastWriteTimeUtc.Ticks))
            {
                current[fileName] = known;
            }
            else
            {
                toRead.Add(path);
            }
        }

        var read = new ConcurrentBag<IndexedPackage>();
        var failures = new ConcurrentBag<SkippedArchive>();
        Parallel.ForEach(toRead, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, path =>
        {
            try
            {
                read.Add(PackageMetadata.Read(path, subdir));
            }
            catch (Exception e) when (e is HostileArchiveException or IOException or UnauthorizedAccessException)
            {
                failures.Add(new SkippedArchive(subdir, Path.GetFileName(path), e.Message));
            }
        });
        skipped.AddRange(failures.OrderBy(f => f.FileName, StringComparer.Ordinal));

        // Names whose shard must be built again: those of archives read now, and of archives gone or changed.
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in read)
        {
            current[package.FileName] = package;
            touched.Add(package.Name);
        }

        var removedArchives = 0;
        foreach (var (fileName, package) in cache.Packages)
        {
            if (!current.TryGetValue(fileName, out var now) || now != package)
            {
                touched.Add(package.Name);
                removedArchives += current.ContainsKey(fileName) ? 0 : 1;
            }
        }

        var patches = LoadPatches();
        var patchesHash = patches is null ? null : SHA256.HashData(patches.Source);
        var view = SubdirView.Build(subdir, current.Values, patches);
        View = view;

        var patchesChanged = !(patchesHash ?? []).AsSpan().SequenceEqual(cache.PatchesHash ?? []);
        var writer = new SubdirWriter(folder, subdir, options);
        var shardHashes = writer.Write(view, cache.ShardHashes, patchesChanged ? null : touched, out var shardsWritten);
        cache.ShardHashes.Clear();
        foreach (var (name, hash) in shardHashes)
        {
            cache.ShardHashes[name] = hash;
        }

        cache.Packages.Clear();
        foreach (var (fileName, package) in current)
        {
            cache.Packages[fileName] = package;
        }

        cache.PatchesHash = patchesHash;
        cache.Save(cachePath);
        return new SubdirReport(subdir, view.TarBz2.Count + view.Conda.Count, read.Count, current.Count - read.Count, removedArchives, shardsWritten, patches is not null);
    }

    /// <summary>The subdir's patched records from the cache alone (no archive read, nothing written): a subdir this run does not index still counts in <c>channeldata.json</c>.</summary>
    public void LoadView()
    {
        var cache = IndexCache.Load(IndexCache.PathOf(channelRoot, subdir));
        View = SubdirView.Build(subdir, cache.Packages.Values, File.Exists(Path.Combine(folder, ChannelLayout.PatchInstructions)) ? LoadPatches() : null);
    }

    private PatchInstructions? LoadPatches()
    {
        var path = Path.Combine(folder, ChannelLayout.PatchInstructions);
        if (options.PatchPackage is { } patchPackage)
        {
            var fromPackage = PatchPackage.Instructions(Path.Combine(channelRoot, Platform.NoArch), patchPackage, subdir);
            if (fromPackage is not null)
            {
                // As conda-index keeps what a patch generator made: beside the repodata it made, for anyone to read.
                AtomicFile.Write(path, fromPackage);
                return PatchInstructions.Parse(fromPackage, $"{patchPackage} ({subdir}/{ChannelLayout.PatchInstructions})");
            }
        }

        return File.Exists(path) ? PatchInstructions.Parse(File.ReadAllBytes(path), path) : null;
    }

}
