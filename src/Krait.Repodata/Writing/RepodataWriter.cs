using System.Text.Encodings.Web;
using System.Text.Json;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Repodata.Writing;

/// <summary>
/// Writes a <see cref="RepoData"/> as <c>repodata.json</c> the way conda's indexer does (keys sorted, two-space
/// indent), keeping every field Krait does not model, so that read-then-write loses nothing.
/// </summary>
public static class RepodataWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Stream stream, RepoData repodata)
    {
        ArgumentNullException.ThrowIfNull(repodata);
        using var writer = new Utf8JsonWriter(stream, Options);
        var sections = new SortedDictionary<string, Action>(StringComparer.Ordinal)
        {
            ["info"] = () => WriteInfo(writer, repodata),
            ["packages"] = () => WriteSection(writer, "packages", repodata.TarBz2Packages),
            ["packages.conda"] = () => WriteSection(writer, "packages.conda", repodata.CondaPackages),
            ["removed"] = () =>
            {
                writer.WriteStartArray("removed");
                foreach (var removed in repodata.Removed)
                {
                    writer.WriteStringValue(removed);
                }

                writer.WriteEndArray();
            },
        };
        if (repodata.RepodataVersion is { } version)
        {
            sections["repodata_version"] = () => writer.WriteNumber("repodata_version", version);
        }

        foreach (var (key, raw) in repodata.ExtraFields ?? [])
        {
            sections[key] = () =>
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(raw, skipInputValidation: true);
            };
        }

        writer.WriteStartObject();
        foreach (var write in sections.Values)
        {
            write();
        }

        writer.WriteEndObject();
        writer.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>Writes to a file atomically (<see cref="AtomicFile"/>), so readers never see half a file.</summary>
    public static void WriteFile(string path, RepoData repodata) => AtomicFile.Write(path, stream => Write(stream, repodata));

    private static void WriteInfo(Utf8JsonWriter writer, RepoData repodata)
    {
        var fields = new SortedDictionary<string, Action>(StringComparer.Ordinal);
        if (repodata.BaseUrl is { } baseUrl)
        {
            fields["base_url"] = () => writer.WriteString("base_url", baseUrl);
        }

        if (repodata.Subdir is { } subdir)
        {
            fields["subdir"] = () => writer.WriteString("subdir", subdir);
        }

        foreach (var (key, raw) in repodata.ExtraInfoFields ?? [])
        {
            fields[key] = () =>
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(raw, skipInputValidation: true);
            };
        }

        writer.WriteStartObject("info");
        foreach (var write in fields.Values)
        {
            write();
        }

        writer.WriteEndObject();
    }

    private static void WriteSection(Utf8JsonWriter writer, string name, IReadOnlyList<PackageRecord> records)
    {
        writer.WriteStartObject(name);
        foreach (var record in records.OrderBy(r => r.FileName, StringComparer.Ordinal))
        {
            writer.WritePropertyName(record.FileName);
            RecordJson.Write(writer, record, RecordJsonStyle.Repodata);
        }

        writer.WriteEndObject();
    }
}
