using System.Text.Json;
using Krait.Conda;

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
            string? Text(string key) => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            string[] List(string key) => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
                : [];
            var name = Text("name") ?? throw new InvalidDataException("no \"name\"");
            var version = Text("version") ?? throw new InvalidDataException("no \"version\"");
            var build = Text("build") ?? Text("build_string") ?? throw new InvalidDataException("no \"build\"");
            return new PackageRecord
            {
                Name = name,
                Version = version,
                Build = build,
                BuildNumber = root.TryGetProperty("build_number", out var number) && number.TryGetInt64(out var n) ? n : 0,
                FileName = Text("fn") ?? $"{name}-{version}-{build}.conda",
                Channel = Text("channel"),
                Subdir = Text("subdir"),
                Url = Text("url"),
                Md5 = Text("md5"),
                Sha256 = Text("sha256"),
                Depends = List("depends"),
                Constrains = List("constrains"),
                License = Text("license"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InstallException($"cannot read {file}: {e.Message}", e);
        }
    }
}
