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

        string? name = null, version = null, build = null;
        long buildNumber = 0;
        string[] depends = [], constrains = [];
        string? trackFeatures = null, features = null, md5 = null, sha256 = null, license = null, licenseFamily = null;
        string? subdir = null, platform = null, arch = null, pythonSitePackagesPath = null;
        string[]? purls = null;
        long? timestamp = null, size = null;
        var noarch = NoArchType.None;
        List<KeyValuePair<string, byte[]>>? extra = null;
        int seen = 0, duplicated = 0;

        while (true)
        {
            Next(ref reader, json, baseOffset);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var key = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(Key(ref reader, baseOffset)) : reader.ValueSpan;
            Next(ref reader, json, baseOffset);
            switch (key.Length)
            {
                case 3 when key.SequenceEqual("md5"u8):
                    duplicated |= MarkRead(ref seen, 0);
                    md5 = ReadString(ref reader, baseOffset, fileName, "md5", intern: false);
                    continue;
                case 4 when key.SequenceEqual("name"u8):
                    duplicated |= MarkRead(ref seen, 1);
                    name = ReadString(ref reader, baseOffset, fileName, "name", intern: true);
                    continue;
                case 4 when key.SequenceEqual("arch"u8):
                    duplicated |= MarkRead(ref seen, 2);
                    arch = ReadString(ref reader, baseOffset, fileName, "arch", intern: true);
                    continue;
                case 4 when key.SequenceEqual("size"u8):
                    duplicated |= MarkRead(ref seen, 3);
                    size = ReadInteger(ref reader, baseOffset, fileName, "size");
                    continue;
                case 5 when key.SequenceEqual("build"u8):
                    duplicated |= MarkRead(ref seen, 4);
                    build = ReadString(ref reader, baseOffset, fileName, "build", intern: false);
                    continue;
                case 5 when key.SequenceEqual("purls"u8):
                    duplicated |= MarkRead(ref seen, 5);
                    purls = ReadStringArray(ref reader, json, baseOffset, fileName, "purls");
                    continue;
                case 6 when key.SequenceEqual("sha256"u8):
                    duplicated |= MarkRead(ref seen, 6);
                    sha256 = ReadString(ref reader, baseOffset, fileName, "sha256", intern: false);
                    continue;
                case 6 when key.SequenceEqual("subdir"u8):
                    duplicated |= MarkRead(ref seen, 7);
                    subdir = ReadString(ref reader, baseOffset, fileName, "subdir", intern: true);
                    continue;
                case 6 when key.SequenceEqual("noarch"u8):
                    duplicated |= MarkRead(ref seen, 8);
                    noarch = ReadNoArch(ref reader, baseOffset, fileName);
                    continue;
                case 7 when key.SequenceEqual("version"u8):
                    duplicated |= MarkRead(ref seen, 9);
                    version = ReadString(ref reader, baseOffset, fileName, "version", intern: true);
                    continue;
                case 7 when key.SequenceEqual("depends"u8):
                    duplicated |= MarkRead(ref seen, 10);
                    depends = ReadStringArray(ref reader, json, baseOffset, fileName, "depends") ?? [];
                    continue;
                case 7 when key.SequenceEqual("license"u8):
                    duplicated |= MarkRead(ref seen, 11);
                    license = ReadString(ref reader, baseOffset, fileName, "license", intern: true);
                    continue;
                case 8 when key.SequenceEqual("platform"u8):
                    duplicated |= MarkRead(ref seen, 12);
                    platform = ReadString(ref reader, baseOffset, fileName, "platform", intern: true);
                    continue;
                case 8 when key.SequenceEqual("features"u8):
                    duplicated |= MarkRead(ref seen, 13);
                    features = ReadString(ref reader, baseOffset, fileName, "features", intern: true);
                    continue;
                case 9 when key.SequenceEqual("timestamp"u8):
                    duplicated |= MarkRead(ref seen, 14);
                    timestamp = RecordTimestamps.ToMilliseconds(ReadInteger(ref reader, baseOffset, fileName, "timestamp"));
                    if (timestamp is < 0 or > RecordTimestamps.MaxMilliseconds)
                    {
                        Warn(fileName, $"its timestamp {timestamp} is not a date between 1970 and 9999; it is ignored");
                        timestamp = null;
                    }

                    continue;
                case 10 when key.SequenceEqual("constrains"u8):
                    duplicated |= MarkRead(ref seen, 15);
                    constrains = ReadStringArray(ref reader, json, baseOffset, fileName, "constrains") ?? [];
                    continue;
                case 12 when key.SequenceEqual("build_number"u8):
                    duplicated |= MarkRead(ref seen, 16);
                    buildNumber = ReadInteger(ref reader, baseOffset, fileName, "build_number") ?? 0;
                    continue;
                case 14 when key.SequenceEqual("track_features"u8):
                    duplicated |= MarkRead(ref seen, 17);
                    trackFeatures = ReadString(ref reader, baseOffset, fileName, "track_features", intern: true);
                    continue;
                case 14 when key.SequenceEqual("license_family"u8):
                    duplicated |= MarkRead(ref seen, 18);
                    licenseFamily = ReadString(ref reader, baseOffset, fileName, "license_family", intern: true);
                    continue;
                case 25 when key.SequenceEqual("python_site_packages_path"u8):
                    duplicated |= MarkRead(ref seen, 19);
                    pythonSitePackagesPath = ReadString(ref reader, baseOffset, fileName, "python_site_packages_path", intern: true);
                    continue;
                default:
                    (extra ??= []).Add(new(KeyName(key, baseOffset + reader.TokenStartIndex), CaptureRaw(ref reader, json, baseOffset)));
                    continue;
            }
        }

        if (name is null || version is null || build is null)
        {
            var missing = name is null ? "name" : version is null ? "version" : "build";
            throw new RepodataFormatException(source, baseOffset + reader.TokenStartIndex, $"packages[\"{fileName}\"] has no \"{missing}\"");
        }

        LastProblem = duplicated != 0 ? $"\"{KnownFields[System.Numerics.BitOperations.TrailingZeroCount(duplicated)]}\" is written twice (readers disagree on which one counts)"
            : size < 0 ? $"its size is {size}"
            : buildNumber < 0 ? $"its build_number is {buildNumber}"
            : null;
        var parsedVersion = ParsedVersionOf(version);
        return new PackageRecord
        {
            ParsedVersion = parsedVersion!,
            Name = name,
            Version = version,
            Build = build,
            BuildNumber = buildNumber,
            FileName = fileName,
            Depends = depends,
            Constrains = constrains,
            TrackFeatures = trackFeatures,
            Features = features,
            NoArch = noarch,
            Timestamp = timestamp,
            Md5 = md5,
            Sha256 = sha256,
            Size = size,
            License = license,
            LicenseFamily = licenseFamily,
            Subdir = subdir ?? defaultSubdir,
            Platform = platform,
            Arch = arch,
            Purls = purls,
            PythonSitePackagesPath = pythonSitePackagesPath,
            ExtraFields = extra,
            Channel = Channel,
            DownloadBaseUrl = DownloadBaseUrl,
        };
    }

    /// <summary>
    /// True when <paramref name="record"/> may be used: its identifying fields name files safely
    /// (<see cref="PackageNaming"/>), its version is one conda can order and nothing in it was doubtful; otherwise it
    /// is skipped with a warning naming this file and the record. Never a silent gap, never a whole channel lost to
    /// one bad record.
    /// </summary>
    /// <remarks>Called right after <see cref="Read"/> returned <paramref name="record"/>.</remarks>
    public bool Admit(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problem = LastProblem ?? PackageNaming.Problem(record);
        if (problem is null && !record.TryGetParsedVersion(out _))
        {
            problem = $"its version '{record.Version}' is not a version conda can order";
        }

        if (problem is null)
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

    /// <summary>Marks known field number <paramref name="field"/> as read; returns its bit when it had been read already.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int MarkRead(ref int seen, int field)
    {
        var bit = 1 << field;
        var again = seen & bit;
        seen |= bit;
        return again;
    }

    /// <summary>The fields <see cref="Read"/> knows, by the bit it marks each with (to find one written twice without a set per record).</summary>
    private static readonly string[] KnownFields =
    [
        "md5", "name", "arch", "size", "build", "purls", "sha256", "subdir", "noarch", "version", "depends", "license", "platform",
        "features", "timestamp", "constrains", "build_number", "track_features", "license_family", "python_site_packages_path",
    ];

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

    public string? ReadString(ref Utf8JsonReader reader, long baseOffset, string fileName, string field, bool intern)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{field} must be a string, not {Describe(reader.TokenType)}");
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

    private string[]? ReadStringArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long baseOffset, string fileName, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{field} must be a list of strings, not {Describe(reader.TokenType)}");
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
                throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{field} must be a list of strings, but holds {Describe(reader.TokenType)}");
            }

            scratch.Add(DecodeString(ref reader, baseOffset, intern: true));
        }

        return scratch.Count == 0 ? [] : [.. scratch];
    }

    private long? ReadInteger(ref Utf8JsonReader reader, long baseOffset, string fileName, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{field} must be a number, not {Describe(reader.TokenType)}");
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

        throw Error(ref reader, baseOffset, $"packages[\"{fileName}\"].{field} is {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}, not a number a record can hold");
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
