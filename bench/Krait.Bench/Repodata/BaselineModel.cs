using System.Text.Json;
using System.Text.Json.Serialization;

namespace Krait.Bench.Repodata;

/// <summary>The plain way to read repodata: JsonSerializer into dictionary-based classes (source-generated, so no reflection).</summary>
public sealed class BaselineRepodata
{
    [JsonPropertyName("info")]
    public Dictionary<string, JsonElement>? Info { get; set; }

    [JsonPropertyName("packages")]
    public Dictionary<string, BaselineRecord>? Packages { get; set; }

    [JsonPropertyName("packages.conda")]
    public Dictionary<string, BaselineRecord>? CondaPackages { get; set; }

    [JsonPropertyName("removed")]
    public List<string>? Removed { get; set; }

    [JsonPropertyName("repodata_version")]
    public int? RepodataVersion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class BaselineRecord
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("build")]
    public string? Build { get; set; }

    [JsonPropertyName("build_number")]
    public long BuildNumber { get; set; }

    [JsonPropertyName("depends")]
    public List<string>? Depends { get; set; }

    [JsonPropertyName("constrains")]
    public List<string>? Constrains { get; set; }

    [JsonPropertyName("license")]
    public string? License { get; set; }

    [JsonPropertyName("license_family")]
    public string? LicenseFamily { get; set; }

    [JsonPropertyName("md5")]
    public string? Md5 { get; set; }

    [JsonPropertyName("sha256")]
    public string? Sha256 { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("subdir")]
    public string? Subdir { get; set; }

    [JsonPropertyName("timestamp")]
    public long? Timestamp { get; set; }

    [JsonPropertyName("noarch")]
    public JsonElement? NoArch { get; set; }

    [JsonPropertyName("track_features")]
    public string? TrackFeatures { get; set; }

    [JsonPropertyName("features")]
    public string? Features { get; set; }

    [JsonPropertyName("arch")]
    public string? Arch { get; set; }

    [JsonPropertyName("platform")]
    public string? Platform { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSerializable(typeof(BaselineRepodata))]
public sealed partial class BaselineContext : JsonSerializerContext;
