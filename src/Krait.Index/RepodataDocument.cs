using System.Text.Json;

namespace Krait.Index;

/// <summary>
/// Writes a subdir's <c>repodata.json</c> as conda-index does: <c>info</c> (<c>subdir</c>, and CEP-15's
/// <c>base_url</c> when there is one), <c>packages</c>, <c>packages.conda</c> (by file name), <c>removed</c>,
/// <c>repodata_version</c> (2 with a base URL, else 1); keys sorted, two-space indent.
/// </summary>
public static class RepodataDocument
{
    public static void Write(Stream stream, string subdir, string? baseUrl, IEnumerable<KeyValuePair<string, byte[]>> tarBz2, IEnumerable<KeyValuePair<string, byte[]>> conda, IEnumerable<string> removed)
    {
        ArgumentNullException.ThrowIfNull(tarBz2);
        ArgumentNullException.ThrowIfNull(conda);
        ArgumentNullException.ThrowIfNull(removed);
        using (var writer = new Utf8JsonWriter(stream, SortedJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("info");
            if (baseUrl is not null)
            {
                writer.WriteString("base_url", SubdirBaseUrl(baseUrl, subdir));
            }

            writer.WriteString("subdir", subdir);
            writer.WriteEndObject();
            WriteSection(writer, "packages", tarBz2);
            WriteSection(writer, "packages.conda", conda);
            writer.WriteStartArray("removed");
            foreach (var fileName in removed)
            {
                writer.WriteStringValue(fileName);
            }

            writer.WriteEndArray();
            writer.WriteNumber("repodata_version", baseUrl is null ? 1 : 2);
            writer.WriteEndObject();
        }

        stream.Write("\n"u8);
    }

    /// <summary>CEP-15: the channel's base URL with the subdir, ending in a slash.</summary>
    public static string SubdirBaseUrl(string baseUrl, string subdir)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}/{subdir}/";
    }

    private static void WriteSection(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, byte[]>> records)
    {
        writer.WriteStartObject(name);
        foreach (var (fileName, record) in records)
        {
            writer.WritePropertyName(fileName);
            SortedJson.Copy(writer, record);
        }

        writer.WriteEndObject();
    }
}
