using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Krait.Networking;

/// <summary>The one way Krait makes an <see cref="HttpClient"/>: TLS as configured, proxies, credentials, a user agent.</summary>
public static class HttpClients
{
    public static HttpClient Create(NetworkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sockets = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.None };
        ConfigureTls(sockets, settings);
        if (settings.ProxyServers.Count > 0)
        {
            sockets.Proxy = new SchemeProxy(settings.ProxyServers);
            sockets.UseProxy = true;
        }

        HttpMessageHandler handler = settings.Credentials is { } credentials ? new AuthenticatingHandler(credentials, sockets) : sockets;
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(settings.UserAgent);
        return http;
    }

    private static void ConfigureTls(SocketsHttpHandler sockets, NetworkSettings settings)
    {
        if (!settings.VerifyCertificates)
        {
            // The user's explicit `ssl_verify: false`, as conda honours it; the default verifies.
#pragma warning disable CA5359
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            return;
        }

        if (settings.TrustedAuthorities is not { } pem)
        {
            return;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(pem);
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            // Name mismatches still fail; only the chain is judged against the given authorities.
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }

    /// <summary>conda's <c>proxy_servers</c>: a proxy per URL scheme; schemes it does not name go direct.</summary>
    private sealed class SchemeProxy(IReadOnlyDictionary<string, string> servers) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) =>
            servers.TryGetValue(destination.Scheme, out var proxy) && Uri.TryCreate(proxy, UriKind.Absolute, out var uri) ? uri : null;

        public bool IsBypassed(Uri host) => !servers.ContainsKey(host.Scheme);
    }
}
