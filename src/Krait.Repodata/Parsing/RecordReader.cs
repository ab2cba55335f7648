using System.Text.Json;
using Krait.Conda.Records;

namespace Krait.Repodata.Parsing;

/// <summary>
/// Reads one package record object with a <see cref="Utf8JsonReader"/>, dispatching on the UTF-8 key bytes.
/// Shared by the full parser and the lazy per-name loader so that both produce identical records.
/// </summary>
internal sealed class RecordReader(Utf8StringPool pool, string source)
{
    private readonly List<string> scratch = new(32);
    private readonly PackageRecordBuilder builder = new();
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);

    /// <summary>
    /// Each distinct version string parsed once (they are interned, so looked up by reference), null when conda could
    /// not order it: the records of one version share its <see cref="Krait.Conda.Versions.Version"/>.
    /// </summary>
    private readonly Dictionary<string, Krait.Conda.Versions.Version?> versions = new(ReferenceEqualityComparer.Instance);

    /// <summary>What made the record <see cref="Read"/> returned last doubtful (a field written twice, a negative size), or null.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>What was skipped or doubtful, each said once: "FILE: the record 'FN' …".</summary>
    public List<string> Warnings { get; } = [];

    public string Source => source;

    /// <summary>The channel the records come from, stamped on each record (shared string).</summary>
    public string? Channel { get; set; }

    /// <summary>The URL the package files live under (subdir URL or info.base_url), stamped on each record.</summary>
    public string? DownloadBaseUrl { get; set; }


    /// <summary>Reads the record whose <c>{</c> is the reader's current token; <paramref name="baseOffset"/> maps reader positions to file offsets.</summary>
    public PackageRecord Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string fileName, string? defaultSubdir, long baseOffset)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"] must be an object");
        }

        builder.Reset();
        builder.DefaultSubdir = defaultSubdir;
        builder.Channel = Channel;
        builder.DownloadBaseUrl = DownloadBaseUrl;
        while (true)
        {
            Next(ref reader, json, baseOffset);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var key = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(Key(ref reader, baseOffset)) : reader.ValueSpan;
            Next(ref reader, json, baseOffset);
            if (!RecordFields.TryFind(key, out var field))
            {
                builder.AddExtra(KeyName(key, baseOffset + reader.TokenStartIndex), CaptureRaw(ref reader, json, baseOffset));
                continue;
            }

            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Text or RecordFieldKind.Hash:
                    builder.SetText(field, ReadString(ref reader, baseOffset, fileName, field, RecordFields.IsShared(field)));
                    break;
                case RecordFieldKind.Integer:
                    builder.SetInteger(field, ReadInteger(ref reader, baseOffset, fileName, field));
                    break;
                case RecordFieldKind.TextList:
                    builder.SetList(field, ReadStringArray(ref reader, json, baseOffset, fileName, field));
                    break;
                default:
                    builder.SetNoArch(ReadNoArch(ref reader, baseOffset, fileName));
                    break;
            }
        }

        if (builder.MissingIdentity is { } missing)
        {
            throw new RepodataFormatException(source, baseOffset + reader.TokenStartIndex, $"packages[\"{fileName}\"] has no \"{missing}\"");
        }

        if (builder.Note is { } note)
        {
            Warn(fileName, note);
        }

        LastProblem = builder.Problem;
        return builder.Build(fileName, ParsedVersionOf(builder.TextOf(RecordField.Version)!));
    }

    /// <summary>
    /// True when <paramref name="record"/> may be used (<see cref="RecordAdmission"/>); otherwise it is skipped with a
    /// warning naming this file and the record.
    /// </summary>
    /// <remarks>Called right after <see cref="Read"/> returned <paramref name="record"/>.</remarks>
    public bool Admit(PackageRecord record)
    {
        if (RecordAdmission.Problem(record, LastProblem) is not { } problem)
        {
            return true;
        }

        Warn(record.FileName, problem + "; it is skipped");
        return false;
    }

    public void Warn(string fileName, string problem) => Note($"the record '{PackageNaming.Shown(fileName)}': {problem}");

    /// <summary>Says <paramref name="problem"/> of this file once.</summary>
    public void Note(string problem)
    {
        var warning = $"{source}: {problem}";
        if (warned.Add(warning))
        {
            Warnings.Add(warning);
        }
    }

    /// <summary>The parsed version of <paramref name="version"/> (an interned string), parsed the first time it is met; null when conda cannot order it.</summary>
    private Krait.Conda.Versions.Version? ParsedVersionOf(string version)
    {
        if (!versions.TryGetValue(version, out var parsed))
        {
            parsed = Krait.Conda.Versions.Version.TryParse(version, out var result) ? result : null;
            versions[version] = parsed;
        }

        return parsed;
    }

    public void Next(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long baseOffset)
    {
        try
        {
            if (!reader.Read())
            {
                throw new RepodataFormatException(source, baseOffset + reader.BytesConsumed, "the file ends in the middle of the JSON document");
            }
        }
        catch (JsonException e)
        {
            // Nothing but separators after the last good token means the document was cut short.
            var rest = json[(int)Math.Min(reader.BytesConsumed, json.Length)..];
            var truncated = rest.IndexOfAnyExcept(" \t\r\n,:"u8) < 0;
            var problem = truncated ? "the file ends in the middle of the JSON document" : $"invalid JSON ({e.Message})";
            throw new RepodataFormatException(source, baseOffset + reader.BytesConsumed, problem, e);
        }
    }

    /// <summary>An unknown field's name, interned; bytes that are not UTF-8 are a format error.</summary>
    private string KeyName(ReadOnlySpan<byte> key, long offset)
    {
        try
        {
            return pool.Get(key);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new RepodataFormatException(source, offset, "a key is not valid UTF-8", e);
        }
    }

    /// <summary>The property name at the reader, decoded; text that is not UTF-8 is a format error, not a crash.</summary>
    public string Key(ref Utf8JsonReader reader, long baseOffset)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (Exception e) when (e is System.Text.DecoderFallbackException or InvalidOperationException)
        {
            throw new RepodataFormatException(source, baseOffset + reader.TokenStartIndex, "a key is not valid UTF-8", e);
        }
    }

    public RepodataFormatException Error(ref Utf8JsonReader reader, long baseOffset, string problem) =>
        new(source, baseOffset + reader.TokenStartIndex, problem);

    public string? ReadString(ref Utf8JsonReader reader, long baseOffset, string fileName, RecordField field, bool intern)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{RecordFields.Key(field)} must be a string, not {Describe(reader.TokenType)}");
        }

        return DecodeString(ref reader, baseOffset, intern);
    }

    public string DecodeString(ref Utf8JsonReader reader, long baseOffset, bool intern)
    {
        try
        {
            if (reader.ValueIsEscaped)
            {
                var unescaped = reader.GetString()!;
                return intern ? pool.Get(System.Text.Encoding.UTF8.GetBytes(unescaped)) : unescaped;
            }

            return intern ? pool.Get(reader.ValueSpan) : Utf8StringPool.Decode(reader.ValueSpan);
        }
        catch (Exception e) when (e is System.Text.DecoderFallbackException or InvalidOperationException)
        {
            throw new RepodataFormatException(source, baseOffset + reader.TokenStartIndex, "a string is not valid UTF-8", e);
        }
    }

    private string[]? ReadStringArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long baseOffset, string fileName, RecordField field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{RecordFields.Key(field)} must be a list of strings, not {Describe(reader.TokenType)}");
        }

        scratch.Clear();
        while (true)
        {
            Next(ref reader, json, baseOffset);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{RecordFields.Key(field)} must be a list of strings, but holds {Describe(reader.TokenType)}");
            }

            scratch.Add(DecodeString(ref reader, baseOffset, intern: true));
        }

        return scratch.Count == 0 ? [] : [.. scratch];
    }

    private long? ReadInteger(ref Utf8JsonReader reader, long baseOffset, string fileName, RecordField field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{RecordFields.Key(field)} must be a number, not {Describe(reader.TokenType)}");
        }

        if (reader.TryGetInt64(out var value))
        {
            return value;
        }

        // Some old channels wrote timestamps as floats; a number beyond a long is no field's value.
        if (reader.TryGetDouble(out var real) && double.IsFinite(real) && real >= long.MinValue && real < long.MaxValue)
        {
            return (long)real;
        }

        throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{RecordFields.Key(field)} is {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}, not a number a record can hold");
    }

    private NoArchType ReadNoArch(ref Utf8JsonReader reader, long baseOffset, string fileName)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
            case JsonTokenType.False:
                return NoArchType.None;
            case JsonTokenType.True:
                return NoArchType.Generic;
            case JsonTokenType.String when reader.ValueTextEquals("python"u8):
                return NoArchType.Python;
            case JsonTokenType.String when reader.ValueTextEquals("generic"u8):
                return NoArchType.Generic;
            default:
                throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].noarch must be \"python\", \"generic\" or a boolean");
        }
    }

    /// <summary>Copies the raw JSON of the current value (skipping over objects and arrays).</summary>
    public byte[] CaptureRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long baseOffset)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            try
            {
                reader.Skip();
            }
            catch (JsonException e)
            {
                throw new RepodataFormatException(source, baseOffset + reader.BytesConsumed, $"invalid JSON ({e.Message})", e);
            }
        }

        return json[start..(int)reader.BytesConsumed].ToArray();
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        _ => token.ToString(),
    };
}
