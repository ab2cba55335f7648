using System.Text.Json;

namespace Krait.Server.Http;

/// <summary>The JSON object an API request sends, and its string fields: a body that is not a JSON object is a 400 that says so.</summary>
public static class JsonBody
{
    public static async Task<JsonElement> ReadObjectAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : throw ApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A string field, or null when it is absent or not a string.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole-number field, or null when it is absent; 400 when it is something else.</summary>
    public static long? Integer(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : throw ApiException.BadRequest($"\"{name}\" must be a whole number");
}
