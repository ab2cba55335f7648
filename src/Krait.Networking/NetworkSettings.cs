namespace Krait.Networking;

/// <summary>
/// How Krait reaches the network, read once per command from configuration (conda's <c>ssl_verify</c>,
/// <c>proxy_servers</c>, <c>fetch_threads</c>, <c>offline</c>) and handed to <see cref="HttpClients.Create"/>.
/// </summary>
public sealed record NetworkSettings
{
    /// <summary>False only for conda's explicit <c>ssl_verify: false</c> (a test server): no certificate is checked.</summary>
    public bool VerifyCertificates { get; init; } = true;

    /// <summary>A PEM file of the certificate authorities to trust instead of the system's (<c>ssl_verify: PATH</c>).</summary>
    public string? TrustedAuthorities { get; init; }

    /// <summary>conda's <c>proxy_servers</c>: a proxy per URL scheme; schemes it does not name go direct. Empty: the system's proxy settings (<c>HTTPS_PROXY</c>…).</summary>
    public IReadOnlyDictionary<string, string> ProxyServers { get; init; } = new Dictionary<string, string>();

    /// <summary>Credentials per host (<c>auth.json</c>, <c>.netrc</c>); null sends none beyond the tokens in URLs.</summary>
    public CredentialStore? Credentials { get; init; }

    public string UserAgent { get; init; } = "krait";

    /// <summary>Parallel package downloads (conda's <c>fetch_threads</c>).</summary>
    public int DownloadThreads { get; init; } = 5;

    /// <summary>No request at all: only what the caches hold is used.</summary>
    public bool Offline { get; init; }
}
