using System.Net;
using System.Net.Http.Headers;
using Krait.Conda;

namespace Krait.Repodata.Remote;

/// <summary>How much the network may be used for repodata.</summary>
public enum FetchMode
{
    /// <summary>Ask the server, conditionally where the cache has an ETag or Last-Modified, unless Cache-Control says the copy is fresh.</summary>
    Online,

    /// <summary>conda's <c>--offline</c> and <c>--use-index-cache</c>: only what the cache holds.</summary>
    CacheOnly,
}

/// <summary>
/// Brings a remote channel subdir's repodata into the local cache and returns the cached <c>repodata.json</c>, which
/// the parsers then memory-map like a local file. <c>repodata.json.zst</c> is preferred, then <c>repodata.json</c>,
/// then <c>.bz2</c> (the variant that worked is remembered); a 304 reuses the cache. Responses are downloaded to a
/// temporary file, decompressed and checked to be one JSON document before they replace the cached copy, so the
/// cache never holds a partial or damaged file. Server errors and broken connections are retried with backoff.
/// </summary>
public sealed class RepodataFetcher(HttpClient http, RepodataCache cache, FetchMode mode = FetchMode.Online)
{
    private static readonly string[] Variants = ["repodata.json.zst", "repodata.json", "repodata.json.bz2"];

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>The cached repodata.json of <paramref name="channel"/>/<paramref name="subdir"/>, or null when the channel has no such subdir.</summary>
    public string? Fetch(Channel channel, string subdir)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var subdirUrl = channel.SubdirUrl(subdir, withToken: true);
        var entry = cache.Entry(subdirUrl);
        var state = entry.ReadState();
        if (mode == FetchMode.CacheOnly)
        {
            return entry.HasRepodata ? entry.RepodataPath
                : state?.Variant == CacheState.Absent ? null
                : throw new RemoteChannelException($"{Channel.Redact(subdirUrl)}/repodata.json is not in the cache (offline)", "run once without --offline or --use-index-cache");
        }

        if (state is not null && entry.HasRepodata && state.IsFresh(DateTimeOffset.UtcNow))
        {
            return entry.RepodataPath;
        }

        var variants = state?.Variant is { } known && known != CacheState.Absent ? [known, .. Variants.Where(v => v != known)] : Variants;
        foreach (var variant in variants)
        {
            var outcome = Retry.Run(Channel.Redact($"{subdirUrl}/{variant}"), () => TryVariant(subdirUrl, variant, entry, state?.Variant == variant ? state : null));
            if (outcome is not null)
            {
                return outcome;
            }
        }

        // No variant exists: the channel does not have this subdir (conda treats a missing noarch or platform as empty).
        // Remembered, so that offline the subdir is known to be empty rather than missing from the cache.
        entry.WriteState(new CacheState(Channel.Redact(subdirUrl), CacheState.Absent, null, null, null, DateTimeOffset.UtcNow));
        return null;
    }

    /// <summary>The cached path after a 200 or 304, or null on a 404; throws on other failures.</summary>
    private string? TryVariant(string subdirUrl, string variant, RepodataCache.CacheEntry entry, CacheState? state)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{subdirUrl}/{variant}");
        if (state is not null && entry.HasRepodata)
        {
            if (state.ETag is { Length: > 0 } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }

            if (state.LastModified is { } modified)
            {
                request.Headers.IfModifiedSince = modified;
            }
        }

        using var response = http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotModified when entry.HasRepodata:
                entry.WriteState(CacheState.From(response, variant, DateTimeOffset.UtcNow, state));
                return entry.RepodataPath;
            case HttpStatusCode.NotFound:
                return null;
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new RemoteChannelException(
                    $"{Channel.Redact(subdirUrl)}/{variant}: {(int)response.StatusCode} {response.ReasonPhrase}: the channel needs credentials, or these are not allowed",
                    "put a token in the channel URL (…/t/TOKEN/…) or log in with krait auth login (issue 5)");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        using (var body = response.Content.ReadAsStream())
        {
            entry.Replace(body, variant, Channel.Redact($"{subdirUrl}/{variant}"));
        }

        entry.WriteState(CacheState.From(response, variant, DateTimeOffset.UtcNow, previous: null));
        return entry.RepodataPath;
    }
}
