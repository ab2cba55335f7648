using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Config;
using Krait.Conda.Records;
using Krait.Conda.Versions;
using Krait.Repodata.Remote;

namespace Krait.Cli.Remote;

/// <summary>
/// The network side of a command: one HttpClient (system proxy settings, e.g. HTTPS_PROXY), the repodata cache in
/// the first package cache's <c>cache/</c> folder (where conda keeps its), offline mode from <c>--offline</c>,
/// <c>--use-index-cache</c>, <c>CONDA_OFFLINE</c>/<c>KRAIT_OFFLINE</c> or <c>offline: true</c> in .condarc, and
/// the number of parallel downloads from <c>fetch_threads</c> (default 5).
/// </summary>
internal sealed class RemoteAccess : IDisposable
{
    private static readonly string[] TrueWords = ["1", "true", "True", "yes"];

    private readonly Lazy<HttpClient> http;

    private RemoteAccess(Lazy<HttpClient> http, RepodataFetcher repodata, PackageDownloader downloads, bool offline)
    {
        this.http = http;
        Repodata = repodata;
        Downloads = downloads;
        Offline = offline;
    }

    public RepodataFetcher Repodata { get; }

    public PackageDownloader Downloads { get; }

    public bool Offline { get; }

    public static RemoteAccess Create(CondaConfig config, KraitLocations locations, bool offline, bool useIndexCache)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(locations);
        offline = offline
            || TrueWords.Contains(Environment.GetEnvironmentVariable("KRAIT_OFFLINE") ?? Environment.GetEnvironmentVariable("CONDA_OFFLINE"))
            || string.Equals(config.Scalar("offline"), "true", StringComparison.OrdinalIgnoreCase);
        // Made on first request only: commands on local channels pay nothing for the network stack.
        var http = new Lazy<HttpClient>(() => CreateClient(config, locations));
        var threads = int.TryParse(config.Scalar("fetch_threads"), out var n) && n > 0 ? n : 5;
        var cache = new RepodataCache(Path.Combine(locations.PkgsDirs[0], "cache"));
        return new RemoteAccess(
            http,
            new RepodataFetcher(() => http.Value, cache, offline || useIndexCache ? FetchMode.CacheOnly : FetchMode.Online),
            new PackageDownloader(() => http.Value, threads),
            offline);
    }

    private static HttpClient CreateClient(CondaConfig config, KraitLocations locations)
    {
        var sockets = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = System.Net.DecompressionMethods.None };
        ConfigureTls(sockets, config.Scalar("ssl_verify"));
        if (config.ProxyServers.Count > 0)
        {
            sockets.Proxy = new SchemeProxy(config.ProxyServers);
            sockets.UseProxy = true;
        }

        var http = new HttpClient(new AuthenticatingHandler(Credentials(locations), sockets))
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"krait/{KraitInfo.Version}");
        return http;
    }

    /// <summary>
    /// conda's <c>ssl_verify</c>: <c>true</c> (the default: the system's trust store), <c>false</c> (no verification,
    /// for a test server only), or the path of a PEM bundle of the certificate authorities to trust instead.
    /// </summary>
    private static void ConfigureTls(SocketsHttpHandler sockets, string? sslVerify)
    {
        if (sslVerify is null or "true" or "True" or "yes")
        {
            return;
        }

        if (sslVerify is "false" or "False" or "no")
        {
            // The user's explicit `ssl_verify: false`, as conda honours it; the default verifies.
#pragma warning disable CA5359
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            return;
        }

        if (!File.Exists(sslVerify))
        {
            throw new KraitException("LoadError", $"ssl_verify names {sslVerify}, which does not exist", "give the path of a PEM file of certificate authorities, or true");
        }

        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        authorities.ImportFromPemFile(sslVerify);
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                return false;
            }

            // Name mismatches still fail; only the chain is judged against the given authorities.
            if ((errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
            chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
            return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
        };
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

    /// <summary>conda's <c>proxy_servers</c>: a proxy per URL scheme; schemes it does not name go direct.</summary>
    private sealed class SchemeProxy(IReadOnlyDictionary<string, string> servers) : System.Net.IWebProxy
    {
        public System.Net.ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) =>
            servers.TryGetValue(destination.Scheme, out var proxy) && Uri.TryCreate(proxy, UriKind.Absolute, out var uri) ? uri : null;

        public bool IsBypassed(Uri host) => !servers.ContainsKey(host.Scheme);
    }
}
