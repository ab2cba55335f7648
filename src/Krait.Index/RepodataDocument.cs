using System.Text;

namespace Krait.Index;

/// <summary>
/// Writes a subdir's <c>repodata.json</c> as conda-index does: <c>info</c> (<c>subdir</c>, and CEP-15's
/// <c>base_url</c> when there is one), <c>packages</c>, <c>packages.conda</c> (by file name), <c>removed</c>,
/// <c>repodata_version</c> (2 with a base URL, else 1); keys sorted, two-space indent. The records come as
/// <see cref="RecordFragments"/>, already indented, and are copied as they are.
/// </summary>
public static class RepodataDocument
{
    public static void Write(Stream stream, string subdir, string? baseUrl, IEnumerable<KeyValuePair<string, byte[]>> tarBz2Fragments, IEnumerable<KeyValuePair<string, byte[]>> condaFragments, IEnumerable<string> removed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tarBz2Fragments);
        ArgumentNullException.ThrowIfNull(condaFragments);
        ArgumentNullException.ThrowIfNull(removed);
        using var output = new BufferedStream(stream, 1 << 20);
        Text(output, "{\n  \"info\": {\n");
        if (baseUrl is not null)
        {
            Text(output, $"    \"base_url\": {JsonText.Quoted(SubdirBaseUrl(baseUrl, subdir))},\n");
        }

        Text(output, $"    \"subdir\": {JsonText.Quoted(subdir)}\n  }},\n");
        Section(output, "packages", tarBz2Fragments);
        Text(output, ",\n");
        Section(output, "packages.conda", condaFragments);
        var removedList = removed.ToList();
        Text(output, removedList.Count == 0 ? ",\n  \"removed\": []" : $",\n  \"removed\": [\n    {string.Join(",\n    ", removedList.Select(JsonText.Quoted))}\n  ]");
        Text(output, $",\n  \"repodata_version\": {(baseUrl is null ? 1 : 2)}\n}}\n");
    }

    /// <summary>CEP-15: the channel's base URL with the subdir, ending in a slash.</summary>
    public static string SubdirBaseUrl(string baseUrl, string subdir)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}/{subdir}/";
    }

    private static void Section(Stream output, string name, IEnumerable<KeyValuePair<string, byte[]>> fragments)
    {
        Text(output, $"  {JsonText.Quoted(name)}: {{");
        var first = true;
        var key = new byte[512];
        foreach (var (fileName, fragment) in fragments)
        {
            output.Write(first ? "\n    \""u8 : ",\n    \""u8);

            // File names are checked package names (ASCII letters, digits, . _ - +): no escaping needed.
            var length = Encoding.UTF8.GetBytes(fileName, key);
            output.Write(key, 0, length);
            output.Write("\": "u8);
            output.Write(fragment);
            first = false;
        }

        Text(output, first ? "}" : "\n  }");
    }

    private static void Text(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));
}
