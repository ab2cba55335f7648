using System.Security.Cryptography;
using System.Text.Json;

namespace Krait.Install;

/// <summary>What <c>krait doctor</c> found wrong with one package's files.</summary>
public sealed record PackageHealth(string Package, IReadOnlyList<string> Missing, IReadOnlyList<string> Altered);

/// <summary>
/// Checks an environment against its own records, as <c>conda doctor</c> does: every file each <c>conda-meta</c>
/// record lists must be there, and every regular file whose digest the record knows (<c>sha256_in_prefix</c> for a
/// file whose prefix was replaced, else <c>sha256</c>) must still have it. Links are checked for being there, not
/// followed; compiled <c>.pyc</c> files and files without a digest only for being there.
/// </summary>
public static class EnvironmentHealth
{
    public static IReadOnlyList<PackageHealth> Check(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var report = new List<PackageHealth>();
        var meta = Path.Combine(prefix.Path, "conda-meta");
        if (!Directory.Exists(meta))
        {
            throw new InstallException($"{prefix} is not an environment (it has no conda-meta)");
        }

        foreach (var recordFile in Directory.EnumerateFiles(meta, "*.json").Order(StringComparer.Ordinal))
        {
            List<(string Path, string? Type, string? Digest)> paths;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(recordFile));
                paths = Paths(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InstallException($"{recordFile} is damaged ({e.Message}): the environment's record of that package cannot be read", e);
            }

            var missing = new List<string>();
            var altered = new List<string>();
            foreach (var (path, type, digest) in paths)
            {
                var full = Path.Combine(prefix.Path, path);
                var info = new FileInfo(full);
                if (info.LinkTarget is not null)
                {
                    continue; // a link's target is checked as its own entry where the package has it
                }

                if (!info.Exists)
                {
                    if (!Directory.Exists(full))
                    {
                        missing.Add(path);
                    }

                    continue;
                }

                if (digest is not null && type is not ("softlink" or "directory" or "pyc_file") && !Matches(full, digest))
                {
                    altered.Add(path);
                }
            }

            if (missing.Count > 0 || altered.Count > 0)
            {
                report.Add(new PackageHealth(Path.GetFileNameWithoutExtension(recordFile), missing, altered));
            }
        }

        return report;
    }

    /// <summary>
    /// The record's paths with their type and digest: from <c>paths_data</c> when the record has it, else its
    /// <c>files</c> (no digests: only whether they are there).
    /// </summary>
    private static List<(string Path, string? Type, string? Digest)> Paths(JsonElement record)
    {
        var result = new List<(string, string?, string?)>();
        if (record.TryGetProperty("paths_data", out var pathsData) && pathsData.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in paths.EnumerateArray())
            {
                var path = entry.GetProperty("_path").GetString()!;
                var type = entry.TryGetProperty("path_type", out var pathType) ? pathType.GetString() : null;
                var digest = entry.TryGetProperty("sha256_in_prefix", out var inPrefix) && inPrefix.ValueKind == JsonValueKind.String ? inPrefix.GetString()
                    : entry.TryGetProperty("sha256", out var sha256) && sha256.ValueKind == JsonValueKind.String ? sha256.GetString()
                    : null;
                result.Add((path, type, digest));
            }
        }
        else if (record.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array)
        {
            result.AddRange(files.EnumerateArray().Select(f => (f.GetString()!, (string?)null, (string?)null)));
        }

        return result;
    }

    private static bool Matches(string path, string digest)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), digest, StringComparison.OrdinalIgnoreCase);
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
