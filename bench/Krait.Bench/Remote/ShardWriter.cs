using System.Buffers;
using System.Security.Cryptography;
using Krait.Conda.Records;
using MessagePack;

namespace Krait.Bench.Remote;

/// <summary>
/// Writes CEP-16 sharded repodata beside a subdir's repodata.json, so that the remote benchmark can serve the same
/// records both ways. A benchmark tool, not Krait's indexer (that is Krait.Index's job, a later issue): it writes
/// only the fields the solver reads.
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
            foreach (var group in repodata.TarBz2Packages.Select(r => (r, false)).Concat(repodata.CondaPackages.Select(r => (r, true))).GroupBy(p => p.r.Name))
            {
                var shard = compressor.Wrap(Shard([.. group])).ToArray();
                var hash = SHA256.HashData(shard);
                File.WriteAllBytes(Path.Combine(subdir, Convert.ToHexStringLower(hash) + ".msgpack.zst"), shard);
                shards[group.Key] = hash;
            }

            File.WriteAllBytes(Path.Combine(subdir, "repodata_shards.msgpack.zst"), compressor.Wrap(Index(Path.GetFileName(subdir), shards)).ToArray());
            Console.WriteLine($"{subdir}: {shards.Count} shards");
        }
    }

    private static byte[] Index(string subdir, SortedDictionary<string, byte[]> shards)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("info");
        writer.WriteMapHeader(3);
        writer.Write("base_url");
        writer.Write(string.Empty);
        writer.Write("shards_base_url");
        writer.Write(string.Empty);
        writer.Write("subdir");
        writer.Write(subdir);
        writer.Write("version");
        writer.Write(1);
        writer.Write("shards");
        writer.WriteMapHeader(shards.Count);
        foreach (var (name, hash) in shards)
        {
            writer.Write(name);
            writer.Write(hash);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Shard(List<(PackageRecord Record, bool Conda)> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        foreach (var (key, conda) in new[] { ("packages", false), ("packages.conda", true) })
        {
            writer.Write(key);
            var section = records.Where(r => r.Conda == conda).Select(r => r.Record).ToList();
            writer.WriteMapHeader(section.Count);
            foreach (var record in section)
            {
                writer.Write(record.FileName);
                WriteRecord(ref writer, record);
            }
        }

        writer.Write("removed");
        writer.WriteArrayHeader(0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRecord(ref MessagePackWriter writer, PackageRecord record)
    {
        var optional = (record.Sha256 is null ? 0 : 1) + (record.Md5 is null ? 0 : 1) + (record.Size is null ? 0 : 1) + (record.Timestamp is null ? 0 : 1)
            + (record.TrackFeatures is { Length: > 0 } ? 1 : 0) + (record.NoArch == NoArchType.None ? 0 : 1) + (record.License is null ? 0 : 1);
        writer.WriteMapHeader(7 + optional);
        writer.Write("build");
        writer.Write(record.Build);
        writer.Write("build_number");
        writer.Write(record.BuildNumber);
        writer.Write("depends");
        WriteStrings(ref writer, record.Depends);
        writer.Write("constrains");
        WriteStrings(ref writer, record.Constrains);
        writer.Write("name");
        writer.Write(record.Name);
        writer.Write("version");
        writer.Write(record.Version);
        writer.Write("subdir");
        writer.Write(record.Subdir);
        if (record.Sha256 is { } sha256)
        {
            writer.Write("sha256");
            writer.Write(Convert.FromHexString(sha256));
        }

        if (record.Md5 is { } md5)
        {
            writer.Write("md5");
            writer.Write(Convert.FromHexString(md5));
        }

        if (record.Size is { } size)
        {
            writer.Write("size");
            writer.Write(size);
        }

        if (record.Timestamp is { } timestamp)
        {
            writer.Write("timestamp");
            writer.Write(timestamp);
        }

        if (record.TrackFeatures is { Length: > 0 } features)
        {
            writer.Write("track_features");
            writer.Write(features);
        }

        if (record.NoArch != NoArchType.None)
        {
            writer.Write("noarch");
            writer.Write(record.NoArch == NoArchType.Python ? "python" : "generic");
        }

        if (record.License is { } license)
        {
            writer.Write("license");
            writer.Write(license);
        }
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }
}
