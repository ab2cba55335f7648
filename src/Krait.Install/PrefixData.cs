using System.Text.Json;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages;

namespace Krait.Install;

/// <summary>
/// The packages installed in an environment, read from its <c>conda-meta/*.json</c> — written by Krait, conda,
/// mamba or pixi alike. A record that cannot be read is an error naming the file, not a silent gap.
/// </summary>
public static class PrefixData
{
    public static bool IsEnvironment(string prefix) => Directory.Exists(Path.Combine(prefix, "conda-meta"));

    public static IReadOnlyList<PackageRecord> Read(string prefix) => [.. ReadInstalled(prefix).Select(p => p.Record)];

    /// <summary>Every installed package with the files it owns, sorted by name.</summary>
    public static IReadOnlyList<InstalledPackage> ReadInstalled(string prefix)
    {
        var meta = Path.Combine(prefix, "conda-meta");
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
            throw new InstallException(
                $"the environment's record {file} is damaged: {e.Message}. Every command on this environment needs its records whole: "
                + "move that file out of conda-meta if it names no package you installed (krait, conda and mamba then no longer see it), or recreate the environment (krait env export, krait env remove, krait env create)",
                e);
        }
    }

    private static PackageRecord ReadRecord(JsonElement root)
    {
        {
            var name = root.String("name") ?? throw new InvalidDataException("no \"name\"");
            var version = root.String("version") ?? throw new InvalidDataException("no \"version\"");
            var build = root.String("build") ?? root.String("build_string") ?? throw new InvalidDataException("no \"build\"");
            return new PackageRecord
            {
                Name = name,
                Version = version,
                Build = build,
                BuildNumber = root.TryGetProperty("build_number", out var number) && number.TryGetInt64(out var n) ? n : 0,
                FileName = root.String("fn") ?? $"{name}-{version}-{build}.conda",
                Channel = root.String("channel"),
                Subdir = root.String("subdir"),
                Url = root.String("url"),
                Md5 = root.String("md5"),
                Sha256 = root.String("sha256"),
                Depends = root.Strings("depends"),
                Constrains = root.Strings("constrains"),
                License = root.String("license"),
                NoArch = root.NoArch(),
                Timestamp = root.TryGetProperty("timestamp", out var time) && time.TryGetInt64(out var t) ? t : null,
                Size = root.TryGetProperty("size", out var size) && size.TryGetInt64(out var s) ? s : null,
                TrackFeatures = root.String("track_features"),
                PythonSitePackagesPath = root.String("python_site_packages_path"),
            };
        }
    }
}
