using System.Text.Json;
using System.Text.Json.Serialization;

namespace Krait.Packages;

/// <summary>One file of a package as <c>info/paths.json</c> describes it (CEP-34).</summary>
public sealed class PathEntry
{
    [JsonPropertyName("_path")]
    public required string Path { get; init; }

    /// <summary><c>hardlink</c> (a regular file), <c>softlink</c> or <c>directory</c>.</summary>
    [JsonPropertyName("path_type")]
    public string PathType { get; init; } = "hardlink";

    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    [JsonPropertyName("size_in_bytes")]
    public long? SizeInBytes { get; init; }

    /// <summary><c>text</c> or <c>binary</c>, for files whose prefix placeholder is replaced at link time.</summary>
    [JsonPropertyName("file_mode")]
    public string? FileMode { get; init; }

    [JsonPropertyName("prefix_placeholder")]
    public string? PrefixPlaceholder { get; init; }

    [JsonPropertyName("no_link")]
    public bool NoLink { get; init; }
}

/// <summary>The whole <c>info/paths.json</c>.</summary>
public sealed class PathsJson
{
    [JsonPropertyName("paths_version")]
    public int PathsVersion { get; init; }

    [JsonPropertyName("paths")]
    public IReadOnlyList<PathEntry> Paths { get; init; } = [];

    /// <summary>Reads <c>info/paths.json</c> of an extracted package; null when the package has none (very old packages).</summary>
    public static PathsJson? Read(string packageDirectory)
    {
        var path = System.IO.Path.Combine(packageDirectory, "info", "paths.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), PackageJsonContext.Default.PathsJson)
                ?? throw new InvalidDataException($"{path} is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed {path}: {e.Message}", e);
        }
    }
}

[JsonSerializable(typeof(PathsJson))]
internal sealed partial class PackageJsonContext : JsonSerializerContext;
