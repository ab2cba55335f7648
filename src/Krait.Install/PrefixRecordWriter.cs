using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Records;

namespace Krait.Install;

/// <summary>
/// Writes what conda and micromamba read to know an environment: <c>conda-meta/&lt;name&gt;-&lt;version&gt;-&lt;build&gt;.json</c>
/// per package (the record plus <c>files</c>, <c>paths_data</c>, <c>link</c>, <c>requested_spec</c>, the cache paths) and
/// <c>conda-meta/history</c>.
/// </summary>
public static class PrefixRecordWriter
{
    /// <summary>
    /// The keys of a conda-meta file that describe the package's place in the prefix, not the package: written here,
    /// never read back into a record. (<c>requested_specs</c> is conda's newer list form; <c>auth</c> its old token field.)
    /// </summary>
    public static readonly IReadOnlySet<string> PrefixKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "files", "paths_data", "link", "extracted_package_dir", "package_tarball_full_path", "requested_spec", "requested_specs", "auth",
    };

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="copied">Whether files were copied rather than hard-linked: conda's link type 3, else 1.</param>
    public static void Write(string root, PackageRecord record, IReadOnlyList<LinkedPath> paths, string extracted, string? archive, string? requestedSpec, bool copied = false)
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
                w.WriteNumber("type", copied ? 3 : 1);
                w.WriteEndObject();
            },
            ["extracted_package_dir"] = w => w.WriteString("extracted_package_dir", extracted),
            ["package_tarball_full_path"] = w => w.WriteString("package_tarball_full_path", archive ?? string.Empty),
            ["requested_spec"] = w => w.WriteString("requested_spec", requestedSpec ?? string.Empty),
        };

        var path = Path.Combine(metaDirectory, InstalledPackage.MetaFileNameOf(record));
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, Options);
        RecordJson.Write(writer, record, RecordJsonStyle.CondaDump, extra);
    }

    /// <summary>
    /// Writes <c>conda-meta/history</c> as <paramref name="previous"/> plus one revision in conda's format: the command,
    /// <c>-channel::name-version-build</c> per removed package, <c>+…</c> per linked one, and the specs asked for.
    /// </summary>
    public static void WriteHistory(string root, string previous, string command, IEnumerable<PackageRecord> unlinked, IEnumerable<PackageRecord> linked, IEnumerable<string> updateSpecs, IEnumerable<string> removeSpecs)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var metaDirectory = Path.Combine(root, "conda-meta");
        Directory.CreateDirectory(metaDirectory);
        var text = new System.Text.StringBuilder(previous);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"==> {DateTime.Now:yyyy-MM-dd HH:mm:ss} <==\n");
        text.Append(CultureInfo.InvariantCulture, $"# cmd: {Channel.Redact(command)}\n");
        foreach (var record in unlinked.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"-{DistName(record)}\n");
        }

        foreach (var record in linked.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"+{DistName(record)}\n");
        }

        var updates = updateSpecs.ToList();
        var removals = removeSpecs.ToList();
        if (updates.Count > 0 || removals.Count == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"# update specs: [{string.Join(", ", updates.Select(Quote))}]\n");
        }

        if (removals.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"# remove specs: [{string.Join(", ", removals.Select(Quote))}]\n");
        }

        File.WriteAllText(Path.Combine(metaDirectory, "history"), text.ToString());
    }

    /// <summary>conda's <c>channel/subdir::name-version-build</c>, the form its history lines and <c>conda list --canonical</c> take.</summary>
    public static string DistName(PackageRecord record)
    {
        var channel = Channel.Redact(record.Channel ?? string.Empty).TrimEnd('/');
        if (record.Subdir is { Length: > 0 } subdir && channel.Length > 0 && !channel.EndsWith("/" + subdir, StringComparison.Ordinal))
        {
            channel = $"{channel}/{subdir}";
        }

        return $"{channel}::{record.Name}-{record.Version}-{record.Build}";
    }

    /// <summary>Python's repr of a string, which conda writes and reads back.</summary>
    private static string Quote(string spec) => spec.Contains('\'', StringComparison.Ordinal) ? $"\"{spec}\"" : $"'{spec}'";

    private static void WriteIfPresent(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }
}
