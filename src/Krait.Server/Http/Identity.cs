using Krait.Server.Access;
using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>
/// Finds who a request comes from, in one place, before anything else looks at it: an API key in the channel URL
/// (<c>/t/KEY/…</c>, what conda users put in .condarc; the path is then served without it), in <c>X-API-Key</c>, in
/// <c>Authorization: Bearer</c>, or as the password of HTTP basic auth (what .netrc gives). A key that is given but
/// unknown, revoked or expired is refused (401), never treated as anonymous.
/// </summary>
public static class Identity
{
    private const string CallerKey = "krait.caller";

    public static Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(CallerKey, out var caller) && caller is Caller known ? known : Caller.Anonymous;
    }

    /// <summary>The caller, who must have come with a key (401 otherwise).</summary>
    public static Caller Signed(HttpContext context) =>
        Of(context) is { IsAuthenticated: true } caller ? caller : throw new ApiException(401, "this needs an API key (X-API-Key or Authorization: Bearer)");

    /// <summary>Who is changing something, for the audit log: the caller's user and key, and the address the request came from.</summary>
    public static Actor ActorOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = Of(context);
        var name = caller.User is { } user ? $"{user.Name} (key {caller.KeyId})" : "anonymous";
        return new Actor(name, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    public static async Task Resolve(HttpContext context, Func<Task> next, AccessCache access)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(access);
        var key = KeyFromPath(context) ?? KeyFromHeaders(context.Request);
        var generation = access.Generation();
        if (key is not null)
        {
            var caller = ApiKeys.IsPlausible(key) ? access.CallerOf(ApiKeys.Hash(key), generation) : null;
            if (caller is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                throw new ApiException(401, "the API key is not valid (unknown, revoked or expired): create a new one with krait server key create");
            }

            context.Items[CallerKey] = caller;
        }
        else
        {
            context.Items[CallerKey] = Caller.Anonymous with { Generation = generation };
        }

        await next().ConfigureAwait(false);
    }

    /// <summary>Takes <c>/t/KEY</c> off the front of the path, returning the key.</summary>
    private static string? KeyFromPath(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/t/", StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOf('/', 3);
        var key = end < 0 ? path[3..] : path[3..end];
        context.Request.Path = end < 0 ? "/" : path[end..];
        return key;
    }

    private static string? KeyFromHeaders(HttpRequest request)
    {
        if (request.Headers["X-API-Key"] is { Count: > 0 } apiKey && apiKey[0] is { Length: > 0 } fromHeader)
        {
            return fromHeader;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? decoded : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                throw new ApiException(401, "the Authorization header is not valid basic auth");
            }
        }

        return null;
    }
}
