using System.Buffers;
using Krait.Conda.Records;
using Krait.Repodata.Remote;
using MessagePack;

namespace Krait.Repodata.Writing;

/// <summary>
/// Writes CEP-16 sharded repodata as MessagePack (uncompressed; the caller compresses and names each shard by the
/// sha256 of its compressed bytes): one name's shard, <c>{packages, packages.conda, removed}</c>, and the subdir's
/// index, <c>{version: 1, info: {base_url, shards_base_url, subdir}, shards: {name: sha256 bytes}}</c>. Each record
/// carries every field of <see cref="RecordFields"/> it has, hashes as raw bytes, and its unmodelled fields.
/// </summary>
public static class ShardWriter
{
    /// <summary>The shard of one package name: its records, split by file kind as repodata.json splits them.</summary>
    public static byte[] Shard(IReadOnlyList<PackageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        foreach (var condaSection in new[] { false, true })
        {
            writer.Write(condaSection ? "packages.conda" : "packages");
            var count = 0;
            foreach (var record in records)
            {
                count += IsConda(record) == condaSection ? 1 : 0;
            }

            writer.WriteMapHeader(count);
            foreach (var record in records)
            {
                if (IsConda(record) == condaSection)
                {
                    writer.Write(record.FileName);
                    WriteRecord(ref writer, record);
                }
            }
        }

        writer.Write("removed");
        writer.WriteArrayHeader(0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The shard index of a subdir: the sha256 (of the compressed shard) of each name, sorted by name.</summary>
    public static byte[] Index(string subdir, string? baseUrl, string? shardsBaseUrl, IEnumerable<KeyValuePair<string, byte[]>> shardHashes)
    {
        ArgumentNullException.ThrowIfNull(subdir);
        var shards = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, hash) in shardHashes)
        {
            shards[name] = hash;
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("info");
        writer.WriteMapHeader(3);
        writer.Write("base_url");
        writer.Write(baseUrl ?? string.Empty);
        writer.Write("shards_base_url");
        writer.Write(shardsBaseUrl ?? string.Empty);
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

    /// <summary>One record as a MessagePack map: its fields in key order, then its unmodelled fields in their order.</summary>
    public static void WriteRecord(ref MessagePackWriter writer, PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var count = 0;
        foreach (var field in RecordFields.All)
        {
            count += RecordFields.IsPresent(record, field) ? 1 : 0;
        }

        var extras = UnmodelledFields(record);
        writer.WriteMapHeader(count + extras.Count);
        foreach (var field in RecordFields.All)
        {
            if (!RecordFields.IsPresent(record, field))
            {
                continue;
            }

            writer.Write(RecordFields.Key(field));
            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Text:
                    writer.Write(RecordFields.Text(record, field));
                    break;
                case RecordFieldKind.Hash:
                    WriteHash(ref writer, RecordFields.Text(record, field)!);
                    break;
                case RecordFieldKind.Integer:
                    var value = RecordFields.Integer(record, field)!.Value;
                    writer.Write(field == RecordField.Timestamp ? RecordTimestamps.AsWritten(value) : value);
                    break;
                case RecordFieldKind.TextList:
                    var items = RecordFields.List(record, field)!;
                    writer.WriteArrayHeader(items.Count);
                    foreach (var item in items)
                    {
                        writer.Write(item);
                    }

                    break;
                default:
                    writer.Write(RecordFields.NoArchText(record.NoArch));
                    break;
            }
        }

        foreach (var (key, raw) in extras)
        {
            writer.Write(key);
            MessagePackJson.Write(ref writer, raw);
        }
    }

    /// <summary>The record's extra fields, without keys the record models and with the last of a key written twice.</summary>
    private static List<KeyValuePair<string, byte[]>> UnmodelledFields(PackageRecord record)
    {
        var extras = new List<KeyValuePair<string, byte[]>>();
        foreach (var extra in record.ExtraFields ?? [])
        {
            if (!RecordFields.TryFind(extra.Key, out _))
            {
                extras.RemoveAll(e => e.Key == extra.Key);
                extras.Add(extra);
            }
        }

        return extras;
    }

    /// <summary>A hash as the raw bytes CEP-16 asks for; text that is not hex stays text (the reader takes both).</summary>
    private static void WriteHash(ref MessagePackWriter writer, string hash)
    {
        var bytes = new byte[hash.Length / 2];
        if (hash.Length % 2 == 0 && Convert.FromHexString(hash, bytes, out _, out var written) == OperationStatus.Done && written == bytes.Length)
        {
            writer.Write(bytes);
        }
        else
        {
            writer.Write(hash);
        }
    }

    private static bool IsConda(PackageRecord record) => record.FileName.EndsWith(".conda", StringComparison.Ordinal);
}
