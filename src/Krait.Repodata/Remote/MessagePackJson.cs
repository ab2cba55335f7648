using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Krait.Repodata.Remote;

/// <summary>
/// Converts one value between MessagePack and JSON, for the record fields Krait does not model: a shard keeps them
/// as MessagePack, a record as raw JSON, and neither side may lose them. Binary values become lower-case hex strings
/// (the way hashes are shown); JSON numbers that are not whole become doubles. Nesting deeper than
/// <see cref="MaxDepth"/> and MessagePack extension types are refused as invalid data.
/// </summary>
public static class MessagePackJson
{
    public const int MaxDepth = 64;

    /// <summary>The MessagePack value at <paramref name="reader"/> as compact UTF-8 JSON.</summary>
    public static byte[] ToJson(ref MessagePackReader reader)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(ref reader, writer, 0);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the JSON value <paramref name="json"/> as MessagePack.</summary>
    public static void Write(ref MessagePackWriter writer, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        using var document = JsonDocument.ParseValue(ref reader);
        Write(ref writer, document.RootElement);
    }

    private static void WriteJson(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"a record field nests deeper than {MaxDepth} levels");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                writer.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    writer.WriteNumberValue(reader.ReadUInt64());
                }
                else
                {
                    writer.WriteNumberValue(reader.ReadInt64());
                }

                break;
            case MessagePackType.Float:
                var real = reader.ReadDouble();
                if (!double.IsFinite(real))
                {
                    throw new InvalidDataException("a record field holds a number JSON cannot write");
                }

                writer.WriteNumberValue(real);
                break;
            case MessagePackType.String:
                writer.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                writer.WriteStringValue(reader.ReadBytes() is { } bytes ? Convert.ToHexStringLower(bytes.ToArray()) : null);
                break;
            case MessagePackType.Array:
                writer.WriteStartArray();
                for (var n = reader.ReadArrayHeader(); n > 0; n--)
                {
                    WriteJson(ref reader, writer, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case MessagePackType.Map:
                writer.WriteStartObject();
                for (var n = reader.ReadMapHeader(); n > 0; n--)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new InvalidDataException("a record field holds a map whose keys are not strings");
                    }

                    writer.WritePropertyName(reader.ReadString()!);
                    WriteJson(ref reader, writer, depth + 1);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new InvalidDataException($"a record field holds a MessagePack {reader.NextMessagePackType} value, which no record holds");
        }
    }

    private static void Write(ref MessagePackWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in value.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    Write(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var whole))
                {
                    writer.Write(whole);
                }
                else if (value.TryGetUInt64(out var large))
                {
                    writer.Write(large);
                }
                else
                {
                    writer.Write(value.GetDouble());
                }

                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }
}
