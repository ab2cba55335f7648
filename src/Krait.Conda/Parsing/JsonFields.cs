using System.Text.Json;

namespace Krait.Conda.Parsing;

/// <summary>
/// Lenient reads of package metadata (index.json, repodata_record.json, conda-meta, the transaction journal):
/// absent or mistyped means absent. The one such rule, for a whole object's keys and for single values alike.
/// </summary>
public static class JsonFields
{
    public static string? String(this JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) ? TextOf(value) : null;

    public static string[] Strings(this JsonElement element, string key) =>
        (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) ? TextsOf(value) : null) ?? [];

    /// <summary>The value as a string, or null when it is not one.</summary>
    public static string? TextOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The strings of a list (its other items skipped), or null when the value is not a list.</summary>
    public static string[]? TextsOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : null;
}
