using System.Text.Json;
using Krait.Conda.Channels;

namespace Krait.Conda.Records;

/// <summary>How a record is written: as a repodata entry, or as conda dumps it in <c>--json</c> output.</summary>
public enum RecordJsonStyle
{
    /// <summary>A <c>repodata.json</c> entry: the record's own fields, timestamps in the unit they were read in.</summary>
    Repodata,

    /// <summary>conda's <c>--json</c> record: plus <c>fn</c>, <c>channel</c> (with its subdir) and <c>url</c>; timestamps in ms.</summary>
    CondaDump,
}

/// <summary>
/// A package record as JSON with its keys sorted, the way conda writes repodata and dumps records: every field
/// the record has and the unknown ones exactly as they came.
/// </summary>
public static class RecordJson
{
    // conda reads timestamps below this as seconds (see the parser).

    private static readonly HashSet<string> LocationKeys = new(StringComparer.Ordinal) { "fn", "channel", "url" };

    /// <param name="extraFields">More keys to write in the same sorted object (e.g. a prefix record's <c>files</c>).</param>
    public static void Write(Utf8JsonWriter writer, PackageRecord record, RecordJsonStyle style, IReadOnlyDictionary<string, Action<Utf8JsonWriter>>? extraFields = null)
    {
        var withLocation = style == RecordJsonStyle.CondaDump;
        var fields = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal);
        void Add(string key, Action<Utf8JsonWriter> write) => fields[key] = write;
        void AddString(string key, string? value)
        {
            if (value is not null)
            {
                Add(key, w => w.WriteString(key, value));
            }
        }

        void AddList(string key, IReadOnlyList<string> values) => Add(key, w =>
        {
            w.WriteStartArray(key);
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        });

        if (record.ExtraFields is { } extras)
        {
            foreach (var (key, raw) in extras)
            {
                if (!withLocation || !LocationKeys.Contains(key))
                {
                    Add(key, w =>
                    {
                        w.WritePropertyName(key);
                        w.WriteRawValue(raw, skipInputValidation: true);
                    });
                }
            }
        }

        AddString("name", record.Name);
        AddString("version", record.Version);
        AddString("build", record.Build);
        Add("build_number", w => w.WriteNumber("build_number", record.BuildNumber));
        AddList("depends", record.Depends);
        if (record.Constrains.Count > 0)
        {
            AddList("constrains", record.Constrains);
        }

        AddString("track_features", string.IsNullOrWhiteSpace(record.TrackFeatures) ? null : record.TrackFeatures);
        AddString("features", string.IsNullOrWhiteSpace(record.Features) ? null : record.Features);
        if (record.NoArch != NoArchType.None)
        {
            AddString("noarch", record.NoArch == NoArchType.Python ? "python" : "generic");
        }

        if (record.Timestamp is { } timestamp)
        {
            // A tiny millisecond value would be read back as seconds: write it in the seconds it came as.
            var written = !withLocation && timestamp < RecordTimestamps.LastSecondOfYear9999 && timestamp % 1000 == 0 ? timestamp / 1000 : timestamp;
            Add("timestamp", w => w.WriteNumber("timestamp", written));
        }

        if (record.Size is { } size)
        {
            Add("size", w => w.WriteNumber("size", size));
        }

        AddString("md5", record.Md5);
        AddString("sha256", record.Sha256);
        AddString("license", record.License);
        AddString("license_family", record.LicenseFamily);
        AddString("platform", record.Platform);
        AddString("arch", record.Arch);
        if (record.Purls is { } purls)
        {
            AddList("purls", purls);
        }

        AddString("python_site_packages_path", record.PythonSitePackagesPath);
        AddString("subdir", record.Subdir);
        if (withLocation)
        {
            AddString("fn", record.FileName);

            // conda prints a record's channel as str(Channel): the channel URL with the subdir.
            AddString("channel", record.Channel is null ? null : Channel.Redact(record.Channel.Contains("://", StringComparison.Ordinal) && record.Subdir is not null ? $"{record.Channel}/{record.Subdir}" : record.Channel));
            AddString("url", record.Url is null ? null : Channel.Redact(record.Url));
        }

        foreach (var (key, write) in extraFields ?? new Dictionary<string, Action<Utf8JsonWriter>>())
        {
            fields[key] = write;
        }

        writer.WriteStartObject();
        foreach (var write in fields.Values)
        {
            write(writer);
        }

        writer.WriteEndObject();
    }
}
