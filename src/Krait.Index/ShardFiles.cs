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
        var keep = new HashSet<string>(live.Select(h => FileName(h)), StringComparer.Ordinal);
        Supersede(folder, previous.Where(h => !keep.Contains(FileName(h))));
        var cutoff = DateTime.UtcNow - lifetime;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + ChannelLayout.ShardSuffix))
        {
            var fileName = Path.GetFileName(path);
            if (ChannelLayout.IsShard(fileName) && !keep.Contains(fileName) && File.GetLastWriteTimeUtc(path) < cutoff)
            {
                File.Delete(path);
            }
        }
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

    private static string FileName(byte[] hash) => Convert.ToHexStringLower(hash) + ChannelLayout.ShardSuffix;
}
