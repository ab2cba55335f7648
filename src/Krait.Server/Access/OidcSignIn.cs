using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Krait.Server.Home;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Krait.Server.Access;

/// <summary>
/// The authorization code flow of OpenID Connect, with PKCE, against the configured provider: discovery and its
/// signing keys (Microsoft.IdentityModel, cached and refreshed), the redirect to the provider, the exchange of the
/// code at its token endpoint (client secret in basic auth), and the ID token checked: signature, issuer, audience,
/// lifetime and the nonce of this sign-in.
/// </summary>
public sealed class OidcSignIn
{
    private readonly OidcSettings settings;
    private readonly HttpClient http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> configuration;

    public OidcSignIn(OidcSettings settings, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = settings;
        this.http = http;
        var issuer = new Uri(settings.Issuer);
        configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            settings.Issuer.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = !issuer.IsLoopback });
    }

    public OidcSettings Settings => settings;

    /// <summary>A new sign-in's secrets: the state (names it), the nonce (bound into the ID token) and the PKCE verifier.</summary>
    public static (string State, string Nonce, string Verifier) NewSecrets() => (Random(), Random(), Random());

    /// <summary>Where to send the browser: the provider's authorization endpoint with this sign-in's parameters.</summary>
    public async Task<string> AuthorizationUrlAsync(string redirectUri, string state, string nonce, string verifier, CancellationToken cancellation)
    {
        var provider = await Configuration(cancellation).ConfigureAwait(false);
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = settings.Scopes,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return provider.AuthorizationEndpoint + (provider.AuthorizationEndpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>Exchanges the code for tokens and returns the ID token's checked claims; throws <see cref="OidcException"/> when anything is wrong.</summary>
    public async Task<OidcIdentity> ExchangeAsync(string code, string redirectUri, string verifier, string nonce, CancellationToken cancellation)
    {
        var provider = await Configuration(cancellation).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["code_verifier"] = verifier,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret)}")));
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new OidcException($"the provider refused the code ({(int)response.StatusCode}): {Truncated(body)}");
        }

        string? idToken;
        try
        {
            using var document = JsonDocument.Parse(body);
            idToken = document.RootElement.TryGetProperty("id_token", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        catch (JsonException)
        {
            idToken = null;
        }

        if (idToken is null)
        {
            throw new OidcException("the provider's token response has no id_token");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = provider.Issuer,
            ValidAudience = settings.ClientId,
            IssuerSigningKeys = provider.SigningKeys,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            // Keys may have been rotated since they were fetched: refresh once on the next sign-in.
            configuration.RequestRefresh();
            throw new OidcException($"the ID token is not valid: {result.Exception?.Message}");
        }

        var claims = (JsonWebToken)result.SecurityToken;
        if (!claims.TryGetPayloadValue<string>("nonce", out var tokenNonce) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(tokenNonce), Encoding.UTF8.GetBytes(nonce)))
        {
            throw new OidcException("the ID token's nonce is not this sign-in's");
        }

        string? Claim(string name) => claims.TryGetPayloadValue<string>(name, out var value) ? value : null;
        return new OidcIdentity(claims.Issuer, claims.Subject, Claim("preferred_username"), Claim("email"));
    }

    private async Task<OpenIdConnectConfiguration> Configuration(CancellationToken cancellation)
    {
        OpenIdConnectConfiguration provider;
        try
        {
            provider = await configuration.GetConfigurationAsync(cancellation).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new OidcException($"the provider {settings.Issuer} cannot be reached or described itself wrongly: {e.Message}");
        }

        // The discovery document must name the issuer it was fetched for (OpenID Connect Discovery 1.0, section 4.3).
        return string.Equals(provider.Issuer?.TrimEnd('/'), settings.Issuer.TrimEnd('/'), StringComparison.Ordinal)
            ? provider
            : throw new OidcException($"the provider at {settings.Issuer} names another issuer, '{provider.Issuer}': set that as the issuer if it is right");
    }

    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Truncated(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

/// <summary>Who the provider says signed in.</summary>
public sealed record OidcIdentity(string Issuer, string Subject, string? PreferredUsername, string? Email);

/// <summary>A sign-in with the provider that did not succeed, and why.</summary>
public sealed class OidcException : Exception
{
    public OidcException()
    {
    }

    public OidcException(string message)
        : base(message)
    {
    }

    public OidcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
