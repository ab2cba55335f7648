using System.Text.Json;

namespace Krait.Index;

/// <summary>
/// CEP-12's <c>run_exports.json</c> of a subdir: <c>{info: {subdir, version: 1}, packages: {fn: {run_exports}},
/// "packages.conda": {…}}</c>, every archive in the folder (a package without <c>info/run_exports.json</c> exports
/// nothing: <c>{}</c>), as conda-index writes it.
/// </summary>
public static class RunExportsDocument
{
    public static void Write(Stream stream, string subdir, IReadOnlyCollection<IndexedPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var sorted = packages.OrderBy(p => p.FileName, StringComparer.Ordinal).ToList();
        using (var writer = new Utf8JsonWriter(stream, SortedJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("info");
            writer.WriteString("subdir", subdir);
            writer.WriteNumber("version", 1);
            writer.WriteEndObject();
            foreach (var (section, conda) in new[] { ("packages", false), ("packages.conda", true) })
            {
                writer.WriteStartObject(section);
                foreach (var package in sorted)
                {
                    if (ChannelLayout.IsConda(package.FileName) != conda)
                    {
                        continue;
                    }

                    writer.WriteStartObject(package.FileName);
                    writer.WritePropertyName("run_exports");
                    SortedJson.Copy(writer, package.RunExports ?? "{}"u8);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        stream.Write("\n"u8);
    }
}
