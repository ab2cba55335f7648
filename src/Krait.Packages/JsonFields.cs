using System.Text.Json;
using Krait.Conda.Records;

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

    /// <summary><c>noarch</c> as index.json and conda-meta write it: <c>"python"</c>, <c>"generic"</c>, or the legacy <c>true</c>.</summary>
    public static NoArchType NoArch(this JsonElement element) =>
        element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("noarch", out var kind) ? NoArchType.None
        : kind.ValueKind == JsonValueKind.True || (kind.ValueKind == JsonValueKind.String && kind.GetString() == "generic") ? NoArchType.Generic
        : kind.ValueKind == JsonValueKind.String && kind.GetString() == "python" ? NoArchType.Python
        : NoArchType.None;
}
