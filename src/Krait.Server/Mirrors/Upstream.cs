using System.Collections.Concurrent;
using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Index;
using Krait.Networking;
using Krait.Repodata.Parsing;
using Krait.Repodata.Remote;
using ZstdSharp;

namespace Krait.Server.Mirrors;

/// <summary>
/// An upstream channel as mirror and proxy channels read it: its repodata fetched with the client's own fetcher
/// (zst or json, conditional requests, the upstream's Cache-Control; the last good copy kept and used while the
/// upstream is down), its records by file name, and its packages downloaded and checked against the sha256 and
/// size the upstream lists before anything keeps them.
/// </summary>
public sealed class Upstream(Func<HttpClient> http, string cacheFolder)
{
    private readonly ConcurrentDictionary<string, (DateTime Modified, IReadOnlyDictionary<string, PackageRecord> Records)> records = new(StringComparer.Ordinal);

    /// <summary>
    /// The upstream subdir's repodata.json in the cache (refreshed when stale, or always asked again with
    /// <paramref name="revalidate"/>; the last copy when the upstream cannot be reached), or null if it has no such subdir.
    /// </summary>
    public string? Repodata(string channelUrl, string subdir, bool revalidate = false)
    {
        var channel = Channel.Parse(channelUrl);
        var cache = new RepodataCache(cacheFolder);
        try
        {
            return new RepodataFetcher(http, cache, revalidate ? FetchMode.Revalidate : FetchMode.Online).Fetch(channel, subdir);
        }
        catch (Exception e) when (e is HttpRequestException or RemoteChannelException or IOException or TaskCanceledException)
        {
            return new RepodataFetcher(http, cache, FetchMode.CacheOnly).Fetch(channel, subdir);
        }
    }

    /// <summary>The upstream's records of a subdir by file name (parsed once per fetched copy).</summary>
    public IReadOnlyDictionary<string, PackageRecord> Records(string channelUrl, string subdir, bool revalidate = false)
    {
        if (Repodata(channelUrl, subdir, revalidate) is not { } path)
        {
            return new Dictionary<string, PackageRecord>(StringComparer.Ordinal);
        }

        var modified = File.GetLastWriteTimeUtc(path);
        if (records.TryGetValue(path, out var known) && known.Modified == modified)
        {
            return known.Records;
        }

        var parsed = RepodataParser.ParseFile(path, subdir);
        var byName = new Dictionary<string, PackageRecord>(StringComparer.Ordinal);
        foreach (var record in parsed.TarBz2Packages.Concat(parsed.CondaPackages))
        {
            byName[record.FileName] = record;
        }

        records[path] = (modified, byName);
        return byName;
    }

    /// <summary>Downloads one package to <paramref name="destination"/>, verified against its upstream record (a mismatch is a <see cref="Krait.Files.DigestMismatchException"/> and nothing is kept).</summary>
    public void Download(string channelUrl, string subdir, PackageRecord record, string destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        var url = $"{channelUrl.TrimEnd('/')}/{subdir}/{record.FileName}";
        new FileDownloader(http, 1).DownloadAll([new DownloadRequest(record.FileName, url, destination, Krait.Packages.PackageVerifier.Expected(record))]);
    }

    /// <summary>
    /// Writes what a proxy serves from the upstream's repodata: the same document without CEP-15's <c>base_url</c>
    /// (so that clients fetch the packages through the proxy), and its <c>.zst</c>.
    /// </summary>
    public static void Localize(string upstreamRepodata, string folder)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, ChannelLayout.Repodata);
        var bytes = File.ReadAllBytes(upstreamRepodata);
        if (HasBaseUrl(bytes))
        {
            var document = SortedJson.ParseObject(bytes, upstreamRepodata);
            (document["info"] as System.Text.Json.Nodes.JsonObject)?.Remove("base_url");
            bytes = SortedJson.ToBytes(document);
        }

        AtomicFile.Write(target, bytes);
        using var compressor = new Compressor(3);
        AtomicFile.Write(Path.Combine(folder, ChannelLayout.RepodataZst), compressor.Wrap(bytes));
    }

    private static bool HasBaseUrl(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInfo = reader.ValueTextEquals("info"u8);
            reader.Read();
            if (isInfo && reader.TokenType == JsonTokenType.StartObject)
            {
                using var info = JsonDocument.ParseValue(ref reader);
                return info.RootElement.TryGetProperty("base_url", out _);
            }

            reader.Skip();
        }

        return false;
    }
}
