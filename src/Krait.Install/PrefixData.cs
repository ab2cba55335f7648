using System.Text.Json;
using Krait.Conda;
using Krait.Packages;

namespace Krait.Install;

/// <summary>
/// The packages installed in an environment, read from its <c>conda-meta/*.json</c> — written by Krait, conda,
/// mamba or pixi alike. A record that cannot be read is an error naming the file, not a silent gap.
/// </summary>
public static class PrefixData
{
    public static bool IsEnvironment(string prefix) => Directory.Exists(Path.Combine(prefix, "conda-meta"));

    public static IReadOnlyList<PackageRecord> Read(string prefix)
    {
        var meta = Path.Combine(prefix, "conda-meta");
        if (!Directory.Exists(meta))
        {
            throw new InstallException($"{prefix} is not a conda environment (it has no conda-meta folder)");
        }

        var records = new List<PackageRecord>();
        foreach (var file in Directory.EnumerateFiles(meta, "*.json").Order(StringComparer.Ordinal))
        {
            records.Add(ReadRecord(file));
        }

        records.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return records;
    }

    private static PackageRecord ReadRecord(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
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
            };
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InstallException($"cannot read {file}: {e.Message}", e);
        }
    }
}
