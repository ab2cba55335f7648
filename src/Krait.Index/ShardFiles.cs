using System.Security.Cryptography;
using Krait.Files;
using ZstdSharp;

namespace Krait.Index;

/// <summary>
/// A subdir's CEP-16 shard files: each name's shard stored under the sha256 of its compressed bytes (written only if
/// no file has that name yet), the shard index, and the retirement of shards no index names any more.
/// </summary>
public static class ShardFiles
{
    /// <summary>Writes one name's shard; returns its hash and whether a new file was written.</summary>
    public static (byte[] Hash, bool Written) Write(string folder, Compressor compressor, IReadOnlyList<KeyValuePair<string, byte[]>> tarBz2, IReadOnlyList<KeyValuePair<string, byte[]>> conda)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        var shard = compressor.Wrap(ShardBuilder.Build(tarBz2, conda)).ToArray();
        var hash = SHA256.HashData(shard);
        var path = PathOf(folder, hash);
        if (File.Exists(path))
        {
            return (hash, false);
        }

        AtomicFile.Write(path, shard);
        return (hash, true);
    }

    /// <summary>Writes the shard index (<c>repodata_shards.msgpack.zst</c>).</summary>
    public static void WriteIndex(string folder, Compressor compressor, string subdir, string? baseUrl, IEnumerable<KeyValuePair<string, byte[]>> hashes)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        var url = baseUrl is null ? string.Empty : RepodataDocument.SubdirBaseUrl(baseUrl, subdir);
        AtomicFile.Write(Path.Combine(folder, ChannelLayout.ShardIndex), compressor.Wrap(Repodata.Writing.ShardWriter.Index(subdir, url, string.Empty, hashes)));
    }

    /// <summary>
    /// Deletes shards no index has named for <paramref name="lifetime"/>: a client holding the previous index may still
    /// ask for them. A shard's mtime is set when the index stops naming it, so its age counts from then.
    /// </summary>
    public static void Retire(string folder, IEnumerable<byte[]> previous, IEnumerable<byte[]> live, TimeSpan lifetime)
    {
        var liveShards = live.ToList();
        var keep = new HashSet<string>(liveShards.Select(FileName), StringComparer.Ordinal);
        Supersede(folder, previous.Where(h => !keep.Contains(FileName(h))));
        var present = Directory.EnumerateFiles(folder, "*" + ChannelLayout.ShardSuffix).Select(p => (Path.GetFileName(p), File.GetLastWriteTimeUtc(p)));
        foreach (var fileName in Stale(present, liveShards, DateTime.UtcNow - lifetime).ToList())
        {
            File.Delete(Path.Combine(folder, fileName));
        }
    }

    /// <summary>
    /// The rule of retirement, for a folder or an object store alike: of the shard files <paramref name="present"/>
    /// (name and time), those the index does not name (<paramref name="live"/>) and untouched since <paramref name="cutoff"/>.
    /// </summary>
    public static IEnumerable<string> Stale(IEnumerable<(string FileName, DateTime Modified)> present, IEnumerable<byte[]> live, DateTime cutoff)
    {
        var keep = new HashSet<string>(live.Select(FileName), StringComparer.Ordinal);
        return present.Where(p => ChannelLayout.IsShard(p.FileName) && !keep.Contains(p.FileName) && p.Modified < cutoff).Select(p => p.FileName);
    }

    /// <summary>Starts the week of shards an index no longer names (their mtime is when that happened).</summary>
    public static void Supersede(string folder, IEnumerable<byte[]> superseded)
    {
        ArgumentNullException.ThrowIfNull(superseded);
        var now = DateTime.UtcNow;
        foreach (var hash in superseded)
        {
            var path = PathOf(folder, hash);
            if (File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, now);
            }
        }
    }

    public static string PathOf(string folder, byte[] hash) => Path.Combine(folder, FileName(hash));

    /// <summary>A shard's file name: the hex of its hash and <c>.msgpack.zst</c>.</summary>
    public static string FileName(byte[] hash) => Convert.ToHexStringLower(hash) + ChannelLayout.ShardSuffix;
}
