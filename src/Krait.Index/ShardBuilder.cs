using System.Buffers;
using System.Text.Json;
using Krait.Repodata.Remote;
using MessagePack;

namespace Krait.Index;

/// <summary>
/// One name's CEP-16 shard from the index's records (compact JSON): <c>{packages, packages.conda, removed}</c> in
/// MessagePack, each record's fields as they are in repodata.json except <c>md5</c> and <c>sha256</c>, which CEP-16
/// (and conda-index) store as raw bytes.
/// </summary>
public static class ShardBuilder
{
    public static byte[] Build(IReadOnlyList<KeyValuePair<string, byte[]>> tarBz2Records, IReadOnlyList<KeyValuePair<string, byte[]>> condaRecords)
    {
        ArgumentNullException.ThrowIfNull(tarBz2Records);
        ArgumentNullException.ThrowIfNull(condaRecords);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("packages");
        WriteSection(ref writer, tarBz2Records);
        writer.Write("packages.conda");
        WriteSection(ref writer, condaRecords);
        writer.Write("removed");
        writer.WriteArrayHeader(0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSection(ref MessagePackWriter writer, IReadOnlyList<KeyValuePair<string, byte[]>> records)
    {
        writer.WriteMapHeader(records.Count);
        foreach (var (fileName, record) in records)
        {
            writer.Write(fileName);
            WriteRecord(ref writer, record);
        }
    }

    private static void WriteRecord(ref MessagePackWriter writer, byte[] record)
    {
        var count = 0;
        var reader = new Utf8JsonReader(record);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            count++;
            reader.Read();
            reader.Skip();
        }

        writer.WriteMapHeader(count);
        reader = new Utf8JsonReader(record);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            writer.Write(key);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.String && key is "md5" or "sha256" && TryHex(reader.GetString()!, out var hash))
            {
                writer.Write(hash);
                continue;
            }

            reader.Skip();
            MessagePackJson.Write(ref writer, record.AsSpan(start, (int)reader.BytesConsumed - start));
        }
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length / 2];
        return text.Length % 2 == 0 && Convert.FromHexString(text, bytes, out _, out var written) == OperationStatus.Done && written == bytes.Length;
    }
}
