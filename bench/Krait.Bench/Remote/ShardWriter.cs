using System.Security.Cryptography;

namespace Krait.Bench.Remote;

/// <summary>
/// Writes CEP-16 sharded repodata beside a subdir's repodata.json, so that the remote benchmark can serve the same
/// records both ways, with Krait's own shard writer. A benchmark tool, not Krait's indexer (that is Krait.Index's
/// job, a later issue).
/// </summary>
internal static class ShardWriter
{
    public static void Run(IReadOnlyList<string> subdirs)
    {
        foreach (var subdir in subdirs)
        {
            var repodata = Krait.Repodata.Parsing.RepodataParser.ParseFile(Path.Combine(subdir, "repodata.json"), Path.GetFileName(subdir));
            var shards = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            using var compressor = new ZstdSharp.Compressor(19);
            foreach (var group in repodata.TarBz2Packages.Concat(repodata.CondaPackages).GroupBy(r => r.Name))
            {
                var shard = compressor.Wrap(Krait.Repodata.Writing.ShardWriter.Shard([.. group])).ToArray();
                var hash = SHA256.HashData(shard);
                File.WriteAllBytes(Path.Combine(subdir, Convert.ToHexStringLower(hash) + ".msgpack.zst"), shard);
                shards[group.Key] = hash;
            }

            File.WriteAllBytes(Path.Combine(subdir, "repodata_shards.msgpack.zst"), compressor.Wrap(Krait.Repodata.Writing.ShardWriter.Index(Path.GetFileName(subdir), baseUrl: null, shardsBaseUrl: null, shards)).ToArray());
            Console.WriteLine($"{subdir}: {shards.Count} shards");
        }
    }
}
