using System.Security.Cryptography;
using ZstdSharp;

namespace Krait.Index;

/// <summary>
/// Writes a subdir's channel files from its records, each atomically: <c>repodata_from_packages.json</c> (before
/// patches), <c>repodata.json</c> (+ <c>.zst</c>), the CEP-16 shards of the names whose records changed and the shard
/// index, and <c>run_exports.json</c>. Used by <c>krait index</c> (records from archives) and by the server
/// (records from its database).
/// </summary>
public sealed class SubdirWriter(string folder, string subdir, IndexOptions options)
{
    /// <summary>
    /// Writes every file; returns each name's shard hash. A name outside <paramref name="touched"/> (all are touched
    /// when it is null) keeps its shard from <paramref name="previousShards"/> if that file still exists.
    /// </summary>
    public Dictionary<string, byte[]> Write(SubdirView view, IReadOnlyDictionary<string, byte[]> previousShards, IReadOnlySet<string>? touched, out int shardsWritten)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(previousShards);
        Directory.CreateDirectory(folder);
        WriteFile(ChannelLayout.RepodataFromPackages, stream => RepodataDocument.Write(stream, subdir, options.BaseUrl, view.UnpatchedTarBz2, view.UnpatchedConda, []));
        WriteRepodata(view);
        shardsWritten = 0;
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (options.Shards)
        {
            hashes = WriteShards(view, previousShards, touched, out shardsWritten);
        }
        else
        {
            File.Delete(Path.Combine(folder, ChannelLayout.ShardIndex));
        }

        WriteFile(ChannelLayout.RunExports, stream => RunExportsDocument.Write(stream, subdir, [.. view.Packages.Values]));
        return hashes;
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

    private Dictionary<string, byte[]> WriteShards(SubdirView view, IReadOnlyDictionary<string, byte[]> previous, IReadOnlySet<string>? touched, out int written)
    {
        written = 0;
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var compressor = new Compressor(3);
        foreach (var (name, records) in view.ByName())
        {
            if (touched is not null && !touched.Contains(name) && previous.TryGetValue(name, out var known) && File.Exists(ShardPath(known)))
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
        RetireShards(previous.Values, hashes.Values);
        return hashes;
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
