using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Krait.Conda;
using Krait.Repodata;

namespace Krait.Install;

/// <summary>
/// Writes what conda and micromamba read to know an environment: <c>conda-meta/&lt;name&gt;-&lt;version&gt;-&lt;build&gt;.json</c>
/// per package (the record plus <c>files</c>, <c>paths_data</c>, <c>link</c>, <c>requested_spec</c>, the cache paths) and
/// <c>conda-meta/history</c>.
/// </summary>
public static class PrefixRecordWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string root, PackageRecord record, IReadOnlyList<LinkedPath> paths, string extracted, string? archive, string? requestedSpec)
    {
        var metaDirectory = Path.Combine(root, "conda-meta");
        Directory.CreateDirectory(metaDirectory);
        var files = paths.Where(p => p.PathType != "directory").Select(p => p.Path).ToList();
        var extra = new Dictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            ["files"] = w =>
            {
                w.WriteStartArray("files");
                files.ForEach(w.WriteStringValue);
                w.WriteEndArray();
            },
            ["paths_data"] = w =>
            {
                w.WriteStartObject("paths_data");
                w.WriteStartArray("paths");
                foreach (var path in paths.Where(p => p.PathType != "directory"))
                {
                    w.WriteStartObject();
                    w.WriteString("_path", path.Path);
                    w.WriteString("path_type", path.PathType);
                    WriteIfPresent(w, "file_mode", path.FileMode);
                    WriteIfPresent(w, "prefix_placeholder", path.PrefixPlaceholder);
                    WriteIfPresent(w, "sha256", path.Sha256);
                    WriteIfPresent(w, "sha256_in_prefix", path.Sha256InPrefix);
                    if (path.SizeInBytes is { } size)
                    {
                        w.WriteNumber("size_in_bytes", size);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("paths_version", 1);
                w.WriteEndObject();
            },
            ["link"] = w =>
            {
                w.WriteStartObject("link");
                w.WriteString("source", extracted);
                w.WriteNumber("type", 1);
                w.WriteEndObject();
            },
            ["extracted_package_dir"] = w => w.WriteString("extracted_package_dir", extracted),
            ["package_tarball_full_path"] = w => w.WriteString("package_tarball_full_path", archive ?? string.Empty),
            ["requested_spec"] = w => w.WriteString("requested_spec", requestedSpec ?? string.Empty),
        };

        var path = Path.Combine(metaDirectory, $"{record.Name}-{record.Version}-{record.Build}.json");
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, Options);
        RecordJson.Write(writer, record, RecordJsonStyle.CondaDump, extra);
    }

    /// <summary>Appends one revision to <c>conda-meta/history</c> in conda's format.</summary>
    public static void AppendHistory(string root, string command, IEnumerable<PackageRecord> linked, IEnumerable<string> requestedSpecs)
    {
        var metaDirectory = Path.Combine(root, "conda-meta");
        Directory.CreateDirectory(metaDirectory);
        using var history = new StreamWriter(Path.Combine(metaDirectory, "history"), append: true);
        history.WriteLine(string.Create(CultureInfo.InvariantCulture, $"==> {DateTime.Now:yyyy-MM-dd HH:mm:ss} <=="));
        history.WriteLine($"# cmd: {command}");
        foreach (var record in linked.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            history.WriteLine($"+{Channel.Redact(record.Channel ?? string.Empty)}::{record.Name}-{record.Version}-{record.Build}");
        }

        history.WriteLine($"# update specs: [{string.Join(", ", requestedSpecs.Select(s => $"'{s}'"))}]");
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }
}
