using System.Text;

namespace Krait.Index;

/// <summary>
/// CEP-12's <c>run_exports.json</c> of a subdir: <c>{info: {subdir, version: 1}, packages: {fn: {run_exports}},
/// "packages.conda": {…}}</c>, every archive in the folder (a package without <c>info/run_exports.json</c> exports
/// nothing: <c>{}</c>), as conda-index writes it. Entries are written as bytes, not through a JSON writer per record:
/// a subdir has hundreds of thousands and most export nothing.
/// </summary>
public static class RunExportsDocument
{
    public static void Write(Stream stream, string subdir, IReadOnlyCollection<IndexedPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var sorted = packages.OrderBy(p => p.FileName, StringComparer.Ordinal).ToList();
        Write(stream, subdir, sorted.Where(p => !ChannelLayout.IsConda(p.FileName)), sorted.Where(p => ChannelLayout.IsConda(p.FileName)));
    }

    /// <summary>Writes the document from packages already in file-name order, per section.</summary>
    public static void Write(Stream stream, string subdir, IEnumerable<IndexedPackage> tarBz2, IEnumerable<IndexedPackage> conda)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var output = new BufferedStream(stream, 1 << 20);
        output.Write(Encoding.UTF8.GetBytes($"{{\n  \"info\": {{\n    \"subdir\": {JsonText.Quoted(subdir)},\n    \"version\": 1\n  }},\n"));
        Section(output, "packages"u8, tarBz2);
        output.Write(",\n"u8);
        Section(output, "packages.conda"u8, conda);
        output.Write("\n}\n"u8);
    }

    private static void Section(Stream output, ReadOnlySpan<byte> name, IEnumerable<IndexedPackage> packages)
    {
        output.Write("  \""u8);
        output.Write(name);
        output.Write("\": {"u8);
        var first = true;
        foreach (var package in packages)
        {
            output.Write(first ? "\n    "u8 : ",\n    "u8);
            output.Write(Encoding.UTF8.GetBytes(JsonText.Quoted(package.FileName)));
            output.Write(": {\n      \"run_exports\": "u8);
            if (package.RunExports is { Length: > 2 } exports)
            {
                output.Write(RecordFragments.Render(exports, depth: 3));
            }
            else
            {
                output.Write("{}"u8);
            }

            output.Write("\n    }"u8);
            first = false;
        }

        output.Write(first ? "}"u8 : "\n  }"u8);
    }
}
