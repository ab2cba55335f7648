using System.Text.Json.Serialization;

namespace Krait.Server.Home;

/// <summary>
/// The OpenID Connect provider people sign in with: its issuer (discovered at <c>ISSUER/.well-known/openid-configuration</c>),
/// and this server's client there (registered with the redirect URI <c>SERVER/api/oidc/callback</c>).
/// </summary>
public sealed record OidcSettings
{
    [JsonPropertyName("issuer")]
    public string Issuer { get; init; } = string.Empty;

    [JsonPropertyName("client_id")]
    public string ClientId { get; init; } = string.Empty;

    [JsonPropertyName("client_secret")]
    public string ClientSecret { get; init; } = string.Empty;

    [JsonPropertyName("scopes")]
    public string Scopes { get; init; } = "openid profile email";

    /// <summary>The server's address as the provider redirects browsers to it (default: the address of the sign-in request).</summary>
    [JsonPropertyName("public_url")]
    public string? PublicUrl { get; init; }

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || (issuer.Scheme != Uri.UriSchemeHttps && !(issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback)))
        {
            return $"issuer '{Issuer}' must be an https URL (http only on this machine)";
        }

        if (ClientId.Length == 0 || ClientSecret.Length == 0)
        {
            return "client_id and client_secret are needed (the client registered at the provider)";
        }

        if (!Scopes.Split(' ').Contains("openid"))
        {
            return "scopes must include openid";
        }

        return PublicUrl is not null && !Uri.TryCreate(PublicUrl, UriKind.Absolute, out _) ? $"public_url '{PublicUrl}' is not a URL" : null;
    }
}
