using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Krait.Conda.Platforms;
using Krait.Conda.Records;

namespace Krait.Packages;

/// <summary>
/// Writes the <c>info/</c> metadata of a built package the way conda-build lays it out: <c>index.json</c>,
/// <c>paths.json</c> (CEP-34, paths_version 1), <c>files</c>, and for noarch python <c>link.json</c>; keys sorted,
/// two-space indent, so the files (and the archive) depend only on the description.
/// </summary>
public static class PackageInfoFiles
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteIndex(string path, PackageBuilder package)
    {
        WriteJson(path, json =>
        {
            var noarch = package.NoArch != NoArchType.None || package.Subdir == Platform.NoArch;
            WriteStringOrNull(json, "arch", noarch ? null : Krait.Conda.Platforms.Platform.ArchitectureOf(package.Subdir));
            json.WriteString("build", package.Build);
            json.WriteNumber("build_number", package.BuildNumber);
            if (package.Constrains.Count > 0)
            {
                WriteList(json, "constrains", package.Constrains);
            }

            WriteList(json, "depends", package.Depends);
            if (package.License is { } license)
            {
                json.WriteString("license", license);
            }

            json.WriteString("name", package.Name);
            if (package.NoArch != NoArchType.None)
            {
                json.WriteString("noarch", package.NoArch == NoArchType.Python ? "python" : "generic");
            }

            WriteStringOrNull(json, "platform", noarch ? null : Platform.OperatingSystemOf(package.Subdir));
            json.WriteString("subdir", package.Subdir);
            if (package.Timestamp is { } timestamp)
            {
                json.WriteNumber("timestamp", timestamp);
            }

            if (package.TrackFeatures is { } features)
            {
                json.WriteString("track_features", features);
            }

            json.WriteString("version", package.Version);
        });
    }

    public static void WritePaths(string path, IEnumerable<PackageFile> files)
    {
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        WriteJson(path, json =>
        {
            json.WriteStartArray("paths");
            foreach (var file in byPath.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("_path", file.Path);
                if (file.SymlinkTarget is { } target)
                {
                    json.WriteString("path_type", "softlink");

                    // As conda's tools record a link: the hash of what it points to, the size of the link itself.
                    if (byPath.TryGetValue(Resolve(file.Path, target), out var pointee) && pointee.SymlinkTarget is null)
                    {
                        json.WriteString("sha256", Sha256(pointee.Content));
                    }

                    json.WriteNumber("size_in_bytes", Encoding.UTF8.GetByteCount(target));
                }
                else
                {
                    var mode = Placeholder(file);
                    if (mode is { } m)
                    {
                        json.WriteString("file_mode", m == PrefixMode.Binary ? "binary" : "text");
                    }

                    json.WriteString("path_type", "hardlink");
                    if (mode is not null)
                    {
                        json.WriteString("prefix_placeholder", PackageBuilder.PrefixPlaceholder);
                    }

                    json.WriteString("sha256", Sha256(file.Content));
                    json.WriteNumber("size_in_bytes", file.Content.Length);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("paths_version", 1);
        });
    }

    public static void WriteFileList(string path, IEnumerable<PackageFile> files) =>
        File.WriteAllText(path, string.Concat(files.Select(f => f.Path).Order(StringComparer.Ordinal).Select(p => p + "\n")));

    /// <summary><c>info/link.json</c> of a noarch python package: its console scripts, as <c>name = module:function</c>.</summary>
    public static void WriteLink(string path, IEnumerable<string> entryPoints)
    {
        WriteJson(path, json =>
        {
            json.WriteStartObject("noarch");
            WriteList(json, "entry_points", entryPoints);
            json.WriteString("type", "python");
            json.WriteEndObject();
            json.WriteNumber("package_metadata_version", 1);
        });
    }

    public static void WriteAbout(string path, PackageBuilder package)
    {
        WriteJson(path, json =>
        {
            if (package.Home is { } home)
            {
                json.WriteString("home", home);
            }

            if (package.License is { } license)
            {
                json.WriteString("license", license);
            }

            if (package.Summary is { } summary)
            {
                json.WriteString("summary", summary);
            }
        });
    }

    /// <summary>The placeholder mode a file gets, or null when it does not contain the placeholder.</summary>
    public static PrefixMode? Placeholder(PackageFile file)
    {
        if (file.SymlinkTarget is not null || file.Content.AsSpan().IndexOf(PlaceholderBytes) < 0)
        {
            return null;
        }

        return file.PrefixMode ?? (file.Content.AsSpan().IndexOf((byte)0) >= 0 ? PrefixMode.Binary : PrefixMode.Text);
    }

    private static ReadOnlySpan<byte> PlaceholderBytes => "/opt/anaconda1anaconda2anaconda3"u8;

    private static string Resolve(string linkPath, string target)
    {
        var parts = linkPath.Split('/').SkipLast(1).ToList();
        foreach (var segment in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>One <c>info/</c> JSON file as every Krait-written package has them: an indented object, unescaped text, a final newline.</summary>
    public static void WriteJson(string path, Action<Utf8JsonWriter> body)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
