using System.Globalization;
using System.Text.Json;

namespace Krait.Repodata.Remote;

/// <summary>What the cache knows of a cached repodata: which variant, the validators the server gave, and when it was fetched.</summary>
public sealed record CacheState(string Url, string Variant, string? ETag, DateTimeOffset? LastModified, TimeSpan? MaxAge, DateTimeOffset Fetched)
{
    /// <summary>The <see cref="Variant"/> of a subdir the server does not have.</summary>
    public const string Absent = "absent";

    /// <summary>Cache-Control's max-age has not passed: no request is needed.</summary>
    public bool IsFresh(DateTimeOffset now) => MaxAge is { } age && now - Fetched < age;

    /// <summary>Makes <paramref name="request"/> conditional on the copy this state describes (If-None-Match, If-Modified-Since).</summary>
    public void AddValidators(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ETag is { Length: > 0 } etag && System.Net.Http.Headers.EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        if (LastModified is { } modified)
        {
            request.Headers.IfModifiedSince = modified;
        }
    }

    public static CacheState From(HttpResponseMessage response, string variant, DateTimeOffset now, CacheState? previous)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new CacheState(
            Krait.Conda.Channels.Channel.Redact(response.RequestMessage?.RequestUri?.ToString() ?? previous?.Url ?? string.Empty),
            variant,
            response.Headers.ETag?.ToString() ?? previous?.ETag,
            response.Content.Headers.LastModified ?? previous?.LastModified,
            response.Headers.CacheControl?.NoCache == true ? null : response.Headers.CacheControl?.MaxAge ?? previous?.MaxAge,
            now);
    }

    public void Write(string path)
    {
        var partial = path + ".partial";
        using (var stream = File.Create(partial))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("url", Url);
            writer.WriteString("variant", Variant);
            if (ETag is not null)
            {
                writer.WriteString("etag", ETag);
            }

            if (LastModified is { } modified)
            {
                writer.WriteString("last_modified", modified.ToString("R", CultureInfo.InvariantCulture));
            }

            if (MaxAge is { } age)
            {
                writer.WriteNumber("max_age_seconds", (long)age.TotalSeconds);
            }

            writer.WriteNumber("fetched_unix", Fetched.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The state at <paramref name="path"/>, or null when there is none or it cannot be read (then the repodata is fetched again).</summary>
    public static CacheState? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            string? Text(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            long? Number(string key) => root.TryGetProperty(key, out var v) && v.TryGetInt64(out var n) ? n : null;
            return new CacheState(
                Text("url") ?? string.Empty,
                Text("variant") ?? "repodata.json",
                Text("etag"),
                DateTimeOffset.TryParse(Text("last_modified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified) ? modified : null,
                Number("max_age_seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                DateTimeOffset.FromUnixTimeSeconds(Number("fetched_unix") ?? 0));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
