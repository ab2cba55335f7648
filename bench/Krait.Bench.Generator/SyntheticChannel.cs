using System.Text.Encodings.Web;
using System.Text.Json;

namespace Krait.Bench.Generator;

/// <summary>Writes a deterministic synthetic conda channel (linux-64 + noarch) shaped like conda-forge's, optionally with its package archives.</summary>
public static class SyntheticChannel
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Generates the channel into <paramref name="outputDirectory"/>; returns the record count per subdir.</summary>
    public static IReadOnlyDictionary<string, int> Write(string outputDirectory, GeneratorOptions options)
    {
        var records = new ChannelGenerator(options).Generate();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var subdir in new[] { "linux-64", "noarch" })
        {
            var selected = records.Where(r => r.Subdir == subdir).OrderBy(r => r.FileName, StringComparer.Ordinal).ToList();
            var directory = Path.Combine(outputDirectory, subdir);
            Directory.CreateDirectory(directory);
            if (options.Archives)
            {
                foreach (var record in selected)
                {
                    var built = ExampleArchives.Write(record, directory);
                    (record.Size, record.Md5, record.Sha256) = (built.Size, built.Md5, built.Sha256);
                }
            }

            var path = Path.Combine(directory, "repodata.json");
            var temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteRepodata(stream, subdir, selected);
            }

            File.Move(temporary, path, overwrite: true);
            counts[subdir] = selected.Count;
        }

        return counts;
    }

    private static void WriteRepodata(Stream stream, string subdir, List<GeneratedRecord> records)
    {
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("info");
        writer.WriteString("subdir", subdir);
        writer.WriteEndObject();
        WriteSection(writer, "packages", records.Where(r => r.FileName.EndsWith(".tar.bz2", StringComparison.Ordinal)));
        WriteSection(writer, "packages.conda", records.Where(r => r.FileName.EndsWith(".conda", StringComparison.Ordinal)));
        writer.WriteStartArray("removed");
        writer.WriteEndArray();
        writer.WriteNumber("repodata_version", 1);
        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteSection(Utf8JsonWriter writer, string name, IEnumerable<GeneratedRecord> records)
    {
        writer.WriteStartObject(name);
        foreach (var record in records)
        {
            writer.WriteStartObject(record.FileName);
            writer.WriteString("build", record.Build);
            writer.WriteNumber("build_number", record.BuildNumber);
            WriteList(writer, "constrains", record.Constrains);
            WriteList(writer, "depends", record.Depends);
            writer.WriteString("license", record.License);
            writer.WriteString("md5", record.Md5);
            writer.WriteString("name", record.Name);
            if (record.NoArchPython)
            {
                writer.WriteString("noarch", "python");
            }

            writer.WriteString("sha256", record.Sha256);
            writer.WriteNumber("size", record.Size);
            writer.WriteString("subdir", record.Subdir);
            writer.WriteNumber("timestamp", record.Timestamp);
            if (record.TrackFeatures is not null)
            {
                writer.WriteString("track_features", record.TrackFeatures);
            }

            writer.WriteString("version", record.Version);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
