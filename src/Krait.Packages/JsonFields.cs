using System.Text.Json;

namespace Krait.Packages;

/// <summary>Lenient reads of package metadata fields (index.json, repodata_record.json, conda-meta): absent or mistyped means absent.</summary>
public static class JsonFields
{
    public static string? String(this JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string[] Strings(this JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
