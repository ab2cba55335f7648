using System.Collections.Concurrent;
using System.Security.Cryptography;
using Krait.Conda.Platforms;
using Krait.Packages;
using ZstdSharp;

namespace Krait.Index;

/// <summary>
/// Indexes one subdir folder: reads the archives that are new or changed since the cache (size and mtime, as
/// conda-index), reuses the rest, applies the patch instructions, and writes <c>repodata_from_packages.json</c>,
/// <c>repodata.json</c> (+ <c>.zst</c>), the shards whose records changed with their index, and
/// <c>run_exports.json</c>, each atomically. An archive that cannot be indexed is skipped and reported, and is
/// in none of the files.
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

        WriteFile(ChannelLayout.RepodataFromPackages, stream => RepodataDocument.Write(stream, subdir, options.BaseUrl, view.UnpatchedTarBz2, view.UnpatchedConda, []));
        WriteRepodata(view);
        var shardsWritten = 0;
        if (options.Shards)
        {
            var patchesChanged = !(patchesHash ?? []).AsSpan().SequenceEqual(cache.PatchesHash ?? []);
            shardsWritten = WriteShards(view, cache, patchesChanged ? null : touched);
        }
        else
        {
            File.Delete(Path.Combine(folder, ChannelLayout.ShardIndex));
            cache.ShardHashes.Clear();
        }

        WriteFile(ChannelLayout.RunExports, stream => RunExportsDocument.Write(stream, subdir, current.Values));

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

    private void WriteRepodata(SubdirView view)
    {
        var path = Path.Combine(folder, ChannelLayout.Repodata);
        WriteFile(ChannelLayout.Repodata, stream => RepodataDocument.Write(stream, subdir, options.BaseUrl, view.TarBz2, view.Conda, view.Removed));
        var zst = Path.Combine(folder, ChannelLayout.RepodataZst);
        if (!options.Zstd)
        {
            File.Delete(zst);
            return;
        }

        AtomicFile.Write(zst, stream =>
        {
            using var source = File.OpenRead(path);
            using var compressor = new CompressionStream(stream, options.ZstdLevel, leaveOpen: true);
            source.CopyTo(compressor, 1 << 20);
        });
    }

    /// <summary>Builds the shards of <paramref name="touched"/> names (all when null) and of names without a shard file, writes the index; returns how many shard files were written.</summary>
    private int WriteShards(SubdirView view, IndexCache cache, HashSet<string>? touched)
    {
        var written = 0;
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var compressor = new Compressor(3);
        foreach (var (name, records) in view.ByName())
        {
            if (touched is not null && !touched.Contains(name) && cache.ShardHashes.TryGetValue(name, out var known)
                && File.Exists(ShardPath(known)))
            {
                hashes[name] = known;
                continue;
            }

            var shard = compressor.Wrap(ShardBuilder.Build(records.TarBz2, records.Conda)).ToArray();
            var hash = SHA256.HashData(shard);
            var shardPath = ShardPath(hash);
            if (!File.Exists(shardPath))
            {
                AtomicFile.Write(shardPath, shard);
                written++;
            }

            hashes[name] = hash;
        }

        var baseUrl = options.BaseUrl is null ? string.Empty : RepodataDocument.SubdirBaseUrl(options.BaseUrl, subdir);
        var index = compressor.Wrap(Repodata.Writing.ShardWriter.Index(subdir, baseUrl, string.Empty, hashes)).ToArray();
        AtomicFile.Write(Path.Combine(folder, ChannelLayout.ShardIndex), index);
        RetireShards(cache.ShardHashes.Values, hashes.Values);
        cache.ShardHashes.Clear();
        foreach (var (name, hash) in hashes)
        {
            cache.ShardHashes[name] = hash;
        }

        return written;
    }

    /// <summary>
    /// Deletes shards no index has named for <see cref="IndexOptions.StaleShardLifetime"/>: a client holding the
    /// previous index may still ask for them. A shard's mtime is set when the index stops naming it, so its age
    /// counts from then.
    /// </summary>
    private void RetireShards(IEnumerable<byte[]> previous, IEnumerable<byte[]> live)
    {
        var keep = new HashSet<string>(live.Select(h => Convert.ToHexStringLower(h) + ChannelLayout.ShardSuffix), StringComparer.Ordinal);
        var now = DateTime.UtcNow;
        foreach (var hash in previous)
        {
            var path = ShardPath(hash);
            if (!keep.Contains(Path.GetFileName(path)) && File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, now);
            }
        }

        var cutoff = now - options.StaleShardLifetime;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + ChannelLayout.ShardSuffix))
        {
            var fileName = Path.GetFileName(path);
            if (ChannelLayout.IsShard(fileName) && !keep.Contains(fileName) && File.GetLastWriteTimeUtc(path) < cutoff)
            {
                File.Delete(path);
            }
        }
    }

    private string ShardPath(byte[] hash) => Path.Combine(folder, Convert.ToHexStringLower(hash) + ChannelLayout.ShardSuffix);

    private void WriteFile(string fileName, Action<Stream> write) => AtomicFile.Write(Path.Combine(folder, fileName), write);
}
