using Krait.Server.Access;
using Krait.Server.Metadata;
using Krait.Server.Storage;

namespace Krait.Server.Http;

/// <summary>
/// Sign-in with the OpenID Connect provider of the server's settings: <c>GET /api/oidc/login</c> sends the browser
/// to the provider, which sends it back to <c>GET /api/oidc/callback</c>; that answers, as <c>POST /api/sign-in</c>
/// does, with a key for 30 days. The first sign-in of an identity makes a user for it (no roles yet).
/// </summary>
public static class OidcApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, OidcSignIn? oidc)
    {
        app.MapGet("/api/oidc/login", async (HttpContext context) =>
        {
            var provider = Configured(oidc);
            var (state, nonce, verifier) = OidcSignIn.NewSecrets();
            var redirectUri = RedirectUri(context, provider);
            var url = await provider.AuthorizationUrlAsync(redirectUri, state, nonce, verifier, context.RequestAborted).ConfigureAwait(false);
            store.StartSignIn(state, nonce, verifier, redirectUri);
            return Results.Redirect(url);
        }).RequireRateLimiting(AccountApi.SignInLimit);

        app.MapGet("/api/oidc/callback", async (HttpContext context, string? code, string? state, string? error, string? error_description) =>
        {
            var provider = Configured(oidc);
            if (error is not null)
            {
                throw new ApiException(401, $"the provider did not sign you in: {error}{(error_description is null ? string.Empty : ": " + error_description)}");
            }

            if (code is null || state is null || store.FinishSignIn(state) is not { } started)
            {
                throw ApiException.BadRequest("this sign-in is unknown, used or older than 10 minutes: start again at /api/oidc/login");
            }

            OidcIdentity identity;
            try
            {
                identity = await provider.ExchangeAsync(code, started.RedirectUri, started.Verifier, started.Nonce, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OidcException e)
            {
                throw new ApiException(401, e.Message);
            }
            catch (HttpRequestException e)
            {
                throw new ApiException(502, $"the provider {provider.Settings.Issuer} cannot be reached: {e.Message}");
            }

            var origin = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var user = store.UserOfIdentity(new Actor($"{identity.Subject} at {identity.Issuer}", origin), identity.Issuer, identity.Subject, NameFor(identity));
            return AccountApi.SignedIn(store, user, new Actor($"{user.Name} (OpenID Connect)", origin));
        });
    }

    /// <summary>A user name from the identity: the preferred username, else the email's local part, else one made from the subject.</summary>
    public static string NameFor(OidcIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var candidate in new[] { identity.PreferredUsername, identity.Email?.Split('@')[0] })
        {
            if (ServerNames.IsUser(candidate) && candidate!.Length <= 48)
            {
                return candidate;
            }
        }

        return "oidc-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity.Issuer + "\n" + identity.Subject)))[..12];
    }

    private static OidcSignIn Configured(OidcSignIn? oidc) =>
        oidc ?? throw ApiException.NotFound("this server has no OpenID Connect provider: set \"oidc\" in its server.json (issuer, client_id, client_secret)");

    private static string RedirectUri(HttpContext context, OidcSignIn provider) =>
        (provider.Settings.PublicUrl ?? $"{context.Request.Scheme}://{context.Request.Host}").TrimEnd('/') + "/api/oidc/callback";
}
