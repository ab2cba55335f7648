using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Krait.Index;

/// <summary>
/// JSON as conda-index writes it (Python's <c>json.dumps(sort_keys=True)</c>): every object's keys in order, at every
/// depth. Records are kept compact in memory and in the cache, and indented only when a file is written.
/// </summary>
public static class SortedJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented as conda-index's files are: two spaces.</summary>
    public static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The node as compact UTF-8 JSON with every object's keys sorted (ordinal, as Python sorts str).</summary>
    public static byte[] ToBytes(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            Write(writer, node);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the node with every object's keys sorted.</summary>
    public static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Copies one JSON value (compact, already sorted) into <paramref name="writer"/>, so that it takes the writer's indentation.</summary>
    public static void Copy(Utf8JsonWriter writer, ReadOnlySpan<byte> json)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    writer.WritePropertyName(reader.GetString()!);
                    break;
                case JsonTokenType.String:
                    writer.WriteStringValue(reader.GetString());
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Parses a JSON object, or throws <see cref="JsonException"/> saying what <paramref name="what"/> is instead.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> json, string what)
    {
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        return node as JsonObject ?? throw new JsonException($"{what} is not a JSON object");
    }
}
