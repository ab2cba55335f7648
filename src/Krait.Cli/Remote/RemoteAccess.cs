using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Configuration;
using Krait.Networking;
using Krait.Repodata.Remote;

namespace Krait.Cli.Remote;

/// <summary>
/// The network side of a command: one HttpClient (<see cref="HttpClients"/>: TLS, proxies, credentials), the
/// repodata cache in the first package cache's <c>cache/</c> folder (where conda keeps its), offline mode from
/// <c>--offline</c>, <c>--use-index-cache</c>, <c>CONDA_OFFLINE</c>/<c>KRAIT_OFFLINE</c> or <c>offline: true</c> in
/// .condarc, and the number of parallel downloads from <c>fetch_threads</c> (default 5).
/// </summary>
internal sealed class RemoteAccess : IDisposable
{
    private static readonly string[] TrueWords = ["1", "true", "True", "yes"];

    private readonly Lazy<HttpClient> http;

    private RemoteAccess(Lazy<HttpClient> http, RepodataFetcher repodata, FileDownloader downloads, bool offline, string nameIndexCache)
    {
        this.http = http;
        Repodata = repodata;
        Downloads = downloads;
        Offline = offline;
        NameIndexCache = nameIndexCache;
    }

    public RepodataFetcher Repodata { get; }

    public FileDownloader Downloads { get; }

    public bool Offline { get; }

    /// <summary>Where the name indexes of repodata files are kept between commands: beside the repodata cache.</summary>
    public string NameIndexCache { get; }

    public static RemoteAccess Create(CondaConfig config, KraitLocations locations, bool offline, bool useIndexCache)
    {
        var settings = Settings(config, locations, offline);
        // Made on first request only: commands on local channels pay nothing for the network stack.
        var http = new Lazy<HttpClient>(() => ClientFor(settings));
        var cache = new RepodataCache(Path.Combine(locations.PkgsDirs[0], "cache"));
        return new RemoteAccess(
            http,
            new RepodataFetcher(() => http.Value, cache, settings.Offline || useIndexCache ? FetchMode.CacheOnly : FetchMode.Online),
            new FileDownloader(() => http.Value, settings.DownloadThreads),
            settings.Offline,
            Path.Combine(locations.PkgsDirs[0], "cache", "krait-names"));
    }

    /// <summary>The network settings of .condarc, the environment and the command's <c>--offline</c>.</summary>
    public static NetworkSettings Settings(CondaConfig config, KraitLocations locations, bool offline)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(locations);
        var sslVerify = config.Scalar("ssl_verify");
        var verify = sslVerify is not ("false" or "False" or "no");
        var authorities = sslVerify is null or "true" or "True" or "yes" or "false" or "False" or "no" ? null : sslVerify;
        return new NetworkSettings
        {
            VerifyCertificates = verify,
            TrustedAuthorities = authorities,
            ProxyServers = config.ProxyServers,
            Credentials = Credentials(locations),
            UserAgent = $"krait/{KraitInfo.Version}",
            DownloadThreads = int.TryParse(config.Scalar("fetch_threads"), out var n) && n > 0 ? n : 5,
            Offline = IsOffline(config, offline),
        };
    }

    /// <summary>The one answer to "offline?": the command's <c>--offline</c>, <c>KRAIT_OFFLINE</c>/<c>CONDA_OFFLINE</c>, or <c>offline: true</c> in .condarc.</summary>
    public static bool IsOffline(CondaConfig config, bool offlineFlag)
    {
        ArgumentNullException.ThrowIfNull(config);
        return offlineFlag
            || TrueWords.Contains(Environment.GetEnvironmentVariable("KRAIT_OFFLINE") ?? Environment.GetEnvironmentVariable("CONDA_OFFLINE"))
            || string.Equals(config.Scalar("offline"), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The client, once a command first needs it: a missing <c>ssl_verify</c> file is an error only for a command that goes online.</summary>
    private static HttpClient ClientFor(NetworkSettings settings)
    {
        if (settings.TrustedAuthorities is { } authorities && !File.Exists(authorities))
        {
            throw new KraitException("LoadError", $"ssl_verify names {authorities}, which does not exist", "give the path of a PEM file of certificate authorities, or true");
        }

        return HttpClients.Create(settings);
    }

    /// <summary>The credentials of <c>krait auth login</c> (<c>KRAIT_AUTH_FILE</c>, else <c>auth.json</c> in the root prefix) and of <c>.netrc</c>.</summary>
    public static CredentialStore Credentials(KraitLocations locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var home = KraitLocations.Home;
        return new CredentialStore(
            Environment.GetEnvironmentVariable("KRAIT_AUTH_FILE") is { Length: > 0 } file ? file : Path.Combine(locations.RootPrefix, "auth.json"),
            Environment.GetEnvironmentVariable("NETRC") is { Length: > 0 } netrc ? netrc : Path.Combine(home, ".netrc"));
    }

    /// <summary>Where a record's archive is fetched from: its URL with the channel's token put back in (records only ever hold the redacted form).</summary>
    public static string DownloadUrl(PackageRecord record, IReadOnlyList<Channel> channels)
    {
        ArgumentNullException.ThrowIfNull(record);
        var url = record.Url ?? throw new KraitException("CondaHTTPError", $"{record} has no URL to download it from");
        foreach (var channel in channels)
        {
            if ((channel.Token is not null || channel.UserInfo is not null) && url.StartsWith(channel.BaseUrl + "/", StringComparison.Ordinal))
            {
                var rest = url[(channel.BaseUrl.Length + 1)..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                return slash < 0 ? url : $"{channel.SubdirUrl(rest[..slash], withToken: true)}{rest[slash..]}";
            }
        }

        return url;
    }

    public void Dispose()
    {
        if (http.IsValueCreated)
        {
            http.Value.Dispose();
        }
    }
}
