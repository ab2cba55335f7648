using System.Buffers;
using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Parsing;

namespace Krait.Conda.Records;

/// <summary>How a record is written: as a repodata entry, as conda dumps it, or as a package's own <c>info/index.json</c>.</summary>
public enum RecordJsonStyle
{
    /// <summary>A <c>repodata.json</c> entry: the record's own fields, timestamps in the unit they were read in.</summary>
    Repodata,

    /// <summary>conda's <c>--json</c> record, conda-meta and repodata_record.json: plus <c>fn</c>, <c>channel</c> (with its subdir) and <c>url</c>; timestamps in ms.</summary>
    CondaDump,

    /// <summary>A package's <c>info/index.json</c>: the record's own fields without the archive's <c>md5</c>, <c>sha256</c> and <c>size</c>, which the archive cannot know of itself.</summary>
    IndexJson,
}

/// <summary>
/// A package record as JSON with its keys sorted, the way conda writes repodata and dumps records: every field of
/// <see cref="RecordFields"/> the record has, and the unknown ones exactly as they came. Also reads a record back
/// from a parsed JSON object (conda-meta, repodata_record.json, index.json), leniently: a mistyped field is absent.
/// </summary>
public static class RecordJson
{
    /// <summary>The keys conda adds to a dumped record to say where it came from; not fields of the record itself.</summary>
    public static readonly IReadOnlySet<string> LocationKeys = new HashSet<string>(StringComparer.Ordinal) { "fn", "channel", "url" };

    /// <param name="extraFields">
    /// More keys to write in the same sorted object (e.g. a prefix record's <c>files</c>); none may be a record field's key.
    /// </param>
    public static void Write(Utf8JsonWriter writer, PackageRecord record, RecordJsonStyle style, IReadOnlyDictionary<string, Action<Utf8JsonWriter>>? extraFields = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        var others = OtherKeys(record, style, extraFields);
        var next = 0;
        writer.WriteStartObject();
        foreach (var field in RecordFields.All)
        {
            var key = RecordFields.Key(field);
            while (next < others.Count && string.CompareOrdinal(others[next].Key, key) < 0)
            {
                others[next++].Write(writer);
            }

            if (next < others.Count && others[next].Key == key)
            {
                next++; // an unmodelled copy of a field the record models: the record's value counts
            }

            if (RecordFields.IsPresent(record, field) && (style != RecordJsonStyle.IndexJson || field is not (RecordField.Md5 or RecordField.Sha256 or RecordField.Size)))
            {
                WriteField(writer, record, field);
            }
        }

        while (next < others.Count)
        {
            others[next++].Write(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads the record fields of a JSON object into <paramref name="builder"/> (after <see cref="PackageRecordBuilder.Reset"/>):
    /// each field of <see cref="RecordFields"/>, <c>url</c> and <c>channel</c>, and every other key as an extra field
    /// unless <paramref name="notRecordKeys"/> holds it. Returns <c>fn</c>, or null when the object has none.
    /// </summary>
    public static string? Read(JsonElement root, PackageRecordBuilder builder, IReadOnlySet<string>? notRecordKeys = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("a package record must be a JSON object");
        }

        string? fileName = null;
        builder.Channel = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (RecordFields.TryFind(property.Name, out var field))
            {
                ReadField(builder, field, value);
            }
            else if (property.NameEquals("fn"))
            {
                fileName = JsonFields.TextOf(value);
            }
            else if (property.NameEquals("url"))
            {
                builder.Url = JsonFields.TextOf(value);
            }
            else if (property.NameEquals("channel"))
            {
                builder.Channel = JsonFields.TextOf(value);
            }
            else if (notRecordKeys is null || !notRecordKeys.Contains(property.Name))
            {
                builder.AddExtra(property.Name, Compact(value));
            }
        }

        return fileName;
    }

    private static void ReadField(PackageRecordBuilder builder, RecordField field, JsonElement value)
    {
        switch (RecordFields.Kind(field))
        {
            case RecordFieldKind.Text or RecordFieldKind.Hash:
                builder.SetText(field, JsonFields.TextOf(value));
                break;
            case RecordFieldKind.Integer:
                builder.SetInteger(field, value.ValueKind != JsonValueKind.Number ? null
                    : value.TryGetInt64(out var whole) ? whole
                    : value.TryGetDouble(out var real) && double.IsFinite(real) && real >= long.MinValue && real < long.MaxValue ? (long)real
                    : null);
                break;
            case RecordFieldKind.TextList:
                builder.SetList(field, JsonFields.TextsOf(value));
                break;
            default:
                builder.SetNoArch(NoArchOf(value));
                break;
        }
    }

    /// <summary><c>noarch</c> as JSON writes it: <c>"python"</c>, <c>"generic"</c>, or the legacy <c>true</c> (generic).</summary>
    public static NoArchType NoArchOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && value.ValueEquals("generic"u8)) ? NoArchType.Generic
        : value.ValueKind == JsonValueKind.String && value.ValueEquals("python"u8) ? NoArchType.Python
        : NoArchType.None;

    /// <summary>A JSON value as compact UTF-8, the form extra fields are kept in whatever file they came from.</summary>
    private static byte[] Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteField(Utf8JsonWriter writer, PackageRecord record, RecordField field)
    {
        var key = RecordFields.Key(field);
        switch (RecordFields.Kind(field))
        {
            case RecordFieldKind.Text or RecordFieldKind.Hash:
                writer.WriteString(key, RecordFields.Text(record, field));
                break;
            case RecordFieldKind.Integer:
                var value = RecordFields.Integer(record, field)!.Value;
                writer.WriteNumber(key, field == RecordField.Timestamp ? RecordTimestamps.AsWritten(value) : value);
                break;
            case RecordFieldKind.TextList:
                writer.WriteStartArray(key);
                foreach (var item in RecordFields.List(record, field)!)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteString(key, RecordFields.NoArchText(record.NoArch));
                break;
        }
    }

    /// <summary>The keys written beside the record's fields, sorted: its extra fields, the location keys of a dump, and the caller's.</summary>
    private static List<OtherKey> OtherKeys(PackageRecord record, RecordJsonStyle style, IReadOnlyDictionary<string, Action<Utf8JsonWriter>>? extraFields)
    {
        var withLocation = style == RecordJsonStyle.CondaDump;
        var others = new List<OtherKey>();
        if (record.ExtraFields is { } extras)
        {
            foreach (var (key, raw) in extras)
            {
                if (!withLocation || !LocationKeys.Contains(key))
                {
                    others.RemoveAll(other => other.Key == key); // a key written twice: the last one counts, as for any JSON reader
                    others.Add(new OtherKey(key, raw, null));
                }
            }
        }

        if (withLocation)
        {
            others.Add(new OtherKey("fn", null, w => w.WriteString("fn", record.FileName)));

            // conda prints a record's channel as str(Channel): the channel URL with the subdir.
            if (record.Channel is { } channel)
            {
                var shown = Channel.Redact(channel.Contains("://", StringComparison.Ordinal) && record.Subdir is not null ? $"{channel}/{record.Subdir}" : channel);
                others.Add(new OtherKey("channel", null, w => w.WriteString("channel", shown)));
            }

            if (record.Url is { } url)
            {
                others.Add(new OtherKey("url", null, w => w.WriteString("url", Channel.Redact(url))));
            }
        }

        foreach (var (key, write) in extraFields ?? new Dictionary<string, Action<Utf8JsonWriter>>())
        {
            if (RecordFields.TryFind(key, out _))
            {
                throw new ArgumentException($"'{key}' is a field of the record itself", nameof(extraFields));
            }

            others.RemoveAll(other => other.Key == key);
            others.Add(new OtherKey(key, null, write));
        }

        if (others.Count > 1)
        {
            others.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        return others;
    }

    private readonly record struct OtherKey(string Key, byte[]? Raw, Action<Utf8JsonWriter>? Writer)
    {
        public void Write(Utf8JsonWriter writer)
        {
            if (Writer is not null)
            {
                Writer(writer);
                return;
            }

            writer.WritePropertyName(Key);
            writer.WriteRawValue(Raw!, skipInputValidation: true);
        }
    }
}
