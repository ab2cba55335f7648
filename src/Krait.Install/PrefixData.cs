using System.Text.Json;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Install;

/// <summary>
/// The packages installed in an environment, read from its <c>conda-meta/*.json</c> — written by Krait, conda,
/// mamba or pixi alike. A record that cannot be read is an error naming the file, not a silent gap.
/// </summary>
public static class PrefixData
{
    public static IReadOnlyList<PackageRecord> Read(Prefix prefix) => [.. ReadInstalled(prefix).Select(p => p.Record)];

    /// <summary>Every installed package with the files it owns, sorted by name.</summary>
    public static IReadOnlyList<InstalledPackage> ReadInstalled(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var meta = prefix.CondaMeta;
        if (!Directory.Exists(meta))
        {
            throw new InstallException($"{prefix} is not a conda environment (it has no conda-meta folder)");
        }

        var packages = new List<InstalledPackage>();
        foreach (var file in Directory.EnumerateFiles(meta, "*.json").Order(StringComparer.Ordinal))
        {
            packages.Add(ReadPackage(file));
        }

        packages.Sort((a, b) => string.CompareOrdinal(a.Record.Name, b.Record.Name));
        return packages;
    }

    private static InstalledPackage ReadPackage(string file)
    {
        try
        {
            if (FileKinds.Of(file) != FileKind.Regular)
            {
                throw new InvalidDataException("it is not a regular file");
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("it is not a JSON object");
            }

            var files = root.Strings("files");
            foreach (var path in files)
            {
                // conda-meta is read back to delete files: a record must not name anything outside the prefix, nor Krait's own files.
                PrefixPaths.CheckPayload(path, file);
            }

            var record = ReadRecord(root);
            if (PackageNaming.Problem(record) is { } problem)
            {
                throw new InvalidDataException($"the record {problem}");
            }

            var requested = root.String("requested_spec") is { Length: > 0 } spec ? spec : root.Strings("requested_specs").FirstOrDefault();
            return new InstalledPackage(record, Path.GetFileName(file), files, requested);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or InstallException)
        {
            var what = e is JsonException json ? Krait.Conda.Parsing.JsonErrors.Describe(json, file) : $"{file}: {e.Message}";
            throw new InstallException(
                $"{what}. This record of the environment is damaged, and every command on the environment needs its records whole: "
                + "move that file out of conda-meta if it names no package you installed (krait, conda and mamba then no longer see it), or recreate the environment (krait env export, krait env remove, krait env create)",
                e);
        }
    }

    /// <summary>
    /// The record part of a conda-meta file: every record field (timestamps normalised like the channel's), its
    /// location (<c>fn</c>, <c>url</c>, <c>channel</c>) and the keys other tools added, which are kept; the prefix's own
    /// keys (<see cref="PrefixRecordWriter.PrefixKeys"/>) are not part of the record.
    /// </summary>
    private static PackageRecord ReadRecord(JsonElement root)
    {
        var builder = new PackageRecordBuilder();
        var fileName = RecordJson.Read(root, builder, PrefixRecordWriter.PrefixKeys);
        if (builder.TextOf(RecordField.Build) is null && root.String("build_string") is { } buildString)
        {
            builder.SetText(RecordField.Build, buildString); // what some old conda versions wrote instead
        }

        if (builder.MissingIdentity is { } missing)
        {
            throw new InvalidDataException($"no \"{missing}\"");
        }

        return builder.Build(fileName ?? $"{builder.TextOf(RecordField.Name)}-{builder.TextOf(RecordField.Version)}-{builder.TextOf(RecordField.Build)}.conda");
    }
}
