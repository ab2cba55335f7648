using System.Net;
using Krait.Conda.Channels;
using Krait.Networking;

namespace Krait.Repodata.Remote;

/// <summary>How much the network may be used for repodata.</summary>
public enum FetchMode
{
    /// <summary>Ask the server, conditionally where the cache has an ETag or Last-Modified, unless Cache-Control says the copy is fresh.</summary>
    Online,

    /// <summary>conda's <c>--offline</c> and <c>--use-index-cache</c>: only what the cache holds.</summary>
    CacheOnly,

    /// <summary>Ask the server (conditionally) even when Cache-Control says the copy is fresh: a mirror's synchronisation.</summary>
    Revalidate,
}

/// <summary>
/// Brings a remote channel subdir's repodata into the local cache and returns the cached <c>repodata.json</c>, which
/// the parsers then memory-map like a local file. <c>repodata.json.zst</c> is preferred, then <c>repodata.json</c>,
/// then <c>.bz2</c> (the variant that worked is remembered); a 304 reuses the cache. Responses are downloaded to a
/// temporary file, decompressed and checked to be one JSON document before they replace the cached copy, so the
/// cache never holds a partial or damaged file. Server errors and broken connections are retried with backoff.
/// </summary>
public sealed class RepodataFetcher
{
    private static readonly string[] Variants = ["repodata.json.zst", "repodata.json", "repodata.json.bz2"];
    private readonly Func<HttpClient> client;
    private readonly RepodataCache cache;
    private readonly FetchMode mode;

    public RepodataFetcher(HttpClient http, RepodataCache cache, FetchMode mode = FetchMode.Online)
        : this(() => http, cache, mode)
    {
    }

    /// <summary>With the client made on first use: a command whose channels are all local never builds one.</summary>
    public RepodataFetcher(Func<HttpClient> http, RepodataCache cache, FetchMode mode = FetchMode.Online)
    {
        client = http;
        this.cache = cache;
        this.mode = mode;
    }

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

        if (mode == FetchMode.Online && state is not null && entry.HasRepodata && state.IsFresh(DateTimeOffset.UtcNow))
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
        if (entry.HasRepodata)
        {
            state?.AddValidators(request);
        }

        using var response = client().Send(request, HttpCompletionOption.ResponseHeadersRead);
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
                    "log in with krait auth login HOST --token TOKEN (or --username/--password), or put a token in the channel URL (…/t/TOKEN/…)");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw RetryPolicy.StatusError(response);
        }

        using (var body = response.Content.ReadAsStream())
        {
            entry.Replace(body, variant, Channel.Redact($"{subdirUrl}/{variant}"));
        }

        entry.WriteState(CacheState.From(response, variant, DateTimeOffset.UtcNow, previous: null));
        return entry.RepodataPath;
    }

    private const string ShardIndexFile = "repodata_shards.msgpack.zst";

    /// <summary>The sharded view of the subdir, or null when the channel serves no shard index there (then use <see cref="Fetch"/>).</summary>
    public ShardedSubdir? TryOpenSharded(Channel channel, string subdir)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var subdirUrl = channel.SubdirUrl(subdir, withToken: true);
        var entry = cache.Entry($"{subdirUrl}/{ShardIndexFile}");
        var state = entry.ReadState();
        if (state?.Variant == CacheState.Absent && (mode == FetchMode.CacheOnly || (mode == FetchMode.Online && state.IsFresh(DateTimeOffset.UtcNow))))
        {
            return null;
        }

        if (mode == FetchMode.Revalidate || (mode == FetchMode.Online && !(state is not null && entry.HasRaw && state.IsFresh(DateTimeOffset.UtcNow))))
        {
            var found = Retry.Run(Channel.Redact($"{subdirUrl}/{ShardIndexFile}"), () => TryShardIndex(subdirUrl, entry, state));
            if (!found)
            {
                entry.WriteState(new CacheState(Channel.Redact(subdirUrl), CacheState.Absent, null, null, TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
                return null;
            }
        }

        return entry.HasRaw ? new ShardedSubdir(this, channel, subdir, ParseIndex(File.ReadAllBytes(entry.RawPath))) : null;
    }

    private bool TryShardIndex(string subdirUrl, RepodataCache.CacheEntry entry, CacheState? state)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{subdirUrl}/{ShardIndexFile}");
        if (entry.HasRaw)
        {
            state?.AddValidators(request);
        }

        using var response = client().Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotModified && entry.HasRaw)
        {
            entry.WriteState(CacheState.From(response, ShardIndexFile, DateTimeOffset.UtcNow, state));
            return true;
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // No shards here (or not for us): repodata.json will say what is wrong, if anything.
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw RetryPolicy.StatusError(response);
        }

        using (var body = response.Content.ReadAsStream())
        {
            entry.ReplaceRaw(body, IsIndex, Channel.Redact($"{subdirUrl}/{ShardIndexFile}"));
        }

        entry.WriteState(CacheState.From(response, ShardIndexFile, DateTimeOffset.UtcNow, previous: null));
        return true;
    }

    /// <summary>One name's shard, from the cache or the server, checked against the sha256 the index gives it.</summary>
    internal byte[] FetchShard(Channel channel, string subdir, ShardIndex index, string sha256)
    {
        var path = cache.ShardPath(sha256);
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var subdirUrl = channel.SubdirUrl(subdir, withToken: true);
        var url = new Uri(new Uri(subdirUrl + "/"), (index.ShardsBaseUrl ?? string.Empty).TrimEnd('/') is { Length: > 0 } b ? b + "/" : string.Empty) + $"{sha256}.msgpack.zst";
        if (mode == FetchMode.CacheOnly)
        {
            throw new RemoteChannelException($"the shard {Channel.Redact(url)} is not in the cache (offline)", "run once without --offline or --use-index-cache");
        }

        return Retry.Run(Channel.Redact(url), () =>
        {
            using var response = client().Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                throw response.StatusCode == HttpStatusCode.NotFound
                    ? new RemoteChannelException($"{Channel.Redact(url)}: 404, though the shard index lists it", "the channel's shards are out of step with its index: try again later, or report it")
                    : RetryPolicy.StatusError(response);
            }

            var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            if (actual != sha256)
            {
                throw new RemoteChannelException($"{Channel.Redact(url)}: its sha256 is {actual}, not the {sha256} the shard index gives; it was not kept", "the channel serves a shard that does not match its index: report it to its owner");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var partial = $"{path}.partial-{Guid.NewGuid():N}";
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, path, overwrite: true);
            return bytes;
        });
    }

    private static bool IsIndex(byte[] compressed)
    {
        try
        {
            ParseIndex(compressed);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            return false;
        }
    }

    private static ShardIndex ParseIndex(byte[] compressed)
    {
        using var decompressor = new ZstdSharp.Decompressor();
        return ShardFormat.ReadIndex(decompressor.Unwrap(compressed).ToArray());
    }
}
