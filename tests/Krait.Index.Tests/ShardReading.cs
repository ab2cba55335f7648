using Krait.Conda.Records;
using Krait.Repodata.Parsing;
using Krait.Repodata.Remote;
using ZstdSharp;

namespace Krait.Index.Tests;

/// <summary>Reads a written channel's shards back with the client's own CEP-16 reader.</summary>
internal static class ShardReading
{
    public static ShardIndex Index(string subdirFolder)
    {
        using var decompressor = new Decompressor();
        return ShardFormat.ReadIndex(decompressor.Unwrap(File.ReadAllBytes(Path.Combine(subdirFolder, "repodata_shards.msgpack.zst"))).ToArray());
    }

    public static IReadOnlyList<PackageRecord> Records(string subdirFolder, string name)
    {
        var index = Index(subdirFolder);
        if (!index.Shards.TryGetValue(name, out var hash))
        {
            return [];
        }

        var bytes = File.ReadAllBytes(Path.Combine(subdirFolder, hash + ".msgpack.zst"));
        Assert.Equal(hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        using var decompressor = new Decompressor();
        var subdir = Path.GetFileName(subdirFolder);
        return ShardFormat.ReadShard(decompressor.Unwrap(bytes).ToArray(), new RecordOrigin("test", "file:///test/" + subdir), null, subdir);
    }
}
