using System.Globalization;
using System.Text.Json;
using Krait.Server.Access;
using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>
/// API keys and channel members, in quetz's shapes: <c>GET/POST /api/api-keys</c> (a new key is shown once, scoped by
/// <c>roles: [{channel, package, role}]</c>, with an optional <c>expire_at</c>), <c>DELETE /api/api-keys/{key}</c>
/// (revoked at once on every instance), and <c>GET/POST/DELETE /api/channels/{channel}/members</c>. No one grants a
/// role they do not hold. Every change lands in the audit log (<c>GET /api/audit</c>) in its own transaction.
/// </summary>
public static class AccountApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, ChannelFiles files)
    {
        // People sign in with a password and get a key for 30 days (what every client sends), at most 10 tries a minute per address.
        app.MapPost("/api/sign-in", async (HttpContext context) =>
        {
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var name = JsonBody.Text(request, "username") ?? string.Empty;
            var password = JsonBody.Text(request, "password") ?? string.Empty;
            var user = store.User(name);
            var stored = user is null ? null : store.PasswordHash(user.Id);
            if (stored is null)
            {
                Passwords.VerifyNothing(password);
            }

            if (user is null || stored is null || !Passwords.Verify(password, stored))
            {
                throw new ApiException(401, "wrong user name or password");
            }

            return SignedIn(store, user, new Actor($"{user.Name} (password)", context.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
        }).RequireRateLimiting(SignInLimit);

        app.MapGet("/api/api-keys", (HttpContext context) =>
        {
            var caller = Identity.Signed(context);
            return Results.Json(store.Keys(caller.User!.Id).Where(k => !k.Revoked).Select(k => Describe(k, store.KeyScopes(k.Id))));
        });

        app.MapPost("/api/api-keys", async (HttpContext context) =>
        {
            var caller = Identity.Signed(context);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var scopes = new List<KeyRole>();
            if (request.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
            {
                foreach (var role in roles.EnumerateArray())
                {
                    var channelName = JsonBody.Text(role, "channel") ?? throw ApiException.BadRequest("each role needs a channel");
                    var package = JsonBody.Text(role, "package");
                    if (!ChannelRoles.TryParse(JsonBody.Text(role, "role"), out var granted))
                    {
                        throw ApiException.BadRequest($"the role of '{channelName}' must be member, maintainer or owner");
                    }

                    var channel = files.ReadableChannel(caller, channelName);
                    if (AccessRules.RoleIn(caller, channel, package) < granted)
                    {
                        throw new ApiException(403, $"you may not grant {ChannelRoles.Name(granted)} in '{channelName}': you do not hold it");
                    }

                    scopes.Add(new KeyRole(channel.Name, package, granted));
                }
            }

            if (scopes.Count == 0 && caller.KeyScopes is not null)
            {
                // A key with no roles acts as its whole user: a scoped key may only make keys within its own scopes.
                throw new ApiException(403, "this key is scoped: the keys it makes must name their roles, within its own");
            }

            DateTimeOffset? expires = null;
            if (JsonBody.Text(request, "expire_at") is { } expireAt)
            {
                expires = DateTimeOffset.TryParse(expireAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed > DateTimeOffset.UtcNow
                    ? parsed
                    : throw ApiException.BadRequest($"expire_at '{expireAt}' is not a future date (YYYY-MM-DD or ISO 8601)");
            }

            var key = ApiKeys.Generate();
            var id = store.AddApiKey(Identity.ActorOf(context), caller.User!, ApiKeys.Hash(key), JsonBody.Text(request, "description"), expires, scopes);
            var row = store.Keys(caller.User!.Id).Single(k => k.Id == id);
            var described = Describe(row, scopes);
            described["key"] = key;
            return Results.Json(described, statusCode: 201);
        });

        app.MapDelete("/api/api-keys/{key}", (HttpContext context, string key) =>
        {
            var caller = Identity.Signed(context);
            if (!ApiKeys.IsPlausible(key) || store.LiveKey(ApiKeys.Hash(key)) is not { } live || (live.UserId != caller.User!.Id && !caller.IsAdmin))
            {
                throw ApiException.NotFound("there is no such live key of yours");
            }

            store.RevokeKey(Identity.ActorOf(context), live.Id);
            return Results.Json(new { detail = $"revoked the key {live.Id}" });
        });

        MapAudit(app, store, files);

        app.MapGet("/api/channels/{channel}/members", (HttpContext context, string channel) =>
        {
            var row = files.ReadableChannel(Identity.Of(context), channel);
            return Results.Json(store.Members(row.Name).Select(m => new { user = new { username = m.User }, role = ChannelRoles.Name(m.Role) }));
        });

        app.MapPost("/api/channels/{channel}/members", async (HttpContext context, string channel) =>
        {
            var (row, caller) = Managed(context, files, channel);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var user = store.User(JsonBody.Text(request, "username") ?? throw ApiException.BadRequest("give the member's username"))
                ?? throw ApiException.NotFound($"there is no user '{JsonBody.Text(request, "username")}'");
            if (!ChannelRoles.TryParse(JsonBody.Text(request, "role"), out var role))
            {
                throw ApiException.BadRequest("role must be member, maintainer or owner");
            }

            store.SetMember(Identity.ActorOf(context), row.Name, user, role);
            return Results.Json(new { user = new { username = user.Name }, role = ChannelRoles.Name(role), granted_by = caller.User!.Name }, statusCode: 201);
        });

        app.MapDelete("/api/channels/{channel}/members", (HttpContext context, string channel, string? username) =>
        {
            var (row, _) = Managed(context, files, channel);
            var user = store.User(username ?? throw ApiException.BadRequest("give ?username=")) ?? throw ApiException.NotFound($"there is no user '{username}'");
            return store.RemoveMember(Identity.ActorOf(context), row.Name, user)
                ? Results.Json(new { detail = $"'{user.Name}' is no longer a member of '{row.Name}'" })
                : throw ApiException.NotFound($"'{user.Name}' is not a member of '{row.Name}'");
        });
    }

    /// <summary><c>GET /api/audit[?channel=C][&amp;limit=N]</c>: a channel's entries for its owners, everything for administrators; newest first.</summary>
    private static void MapAudit(IEndpointRouteBuilder app, MetadataStore store, ChannelFiles files) =>
        app.MapGet("/api/audit", (HttpContext context, string? channel, int? limit) =>
        {
            var caller = Identity.Signed(context);
            if (channel is null && !caller.IsAdmin)
            {
                throw new ApiException(403, "the whole audit log is for administrators; owners read their channel's with ?channel=NAME");
            }

            var name = channel is null ? null : Managed(context, files, channel).Channel.Name;
            return Results.Json(store.AuditLog(name, Math.Clamp(limit ?? 1000, 1, 100_000)).Select(AuditApi.Describe));
        });

    /// <summary>What a person who signed in gets: a key for 30 days (what every client sends), shown once.</summary>
    public static IResult SignedIn(MetadataStore store, UserRow user, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(actor);
        var key = ApiKeys.Generate();
        var expires = DateTimeOffset.UtcNow.AddDays(30);
        var id = store.AddApiKey(actor, user, ApiKeys.Hash(key), $"signed in from {actor.Origin}", expires);
        return Results.Json(new { api_key = key, id, username = user.Name, expire_at = expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
    }

    /// <summary>The rate limit policy of sign-in (<see cref="AddRateLimits"/>).</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>Ten sign-in attempts a minute per client address: guessing passwords over HTTP stays slow.</summary>
    public static void AddRateLimits(IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellation) =>
                await ErrorHandling.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "too many sign-in attempts from this address: wait a minute").ConfigureAwait(false);
            limiter.AddPolicy(SignInLimit, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

    /// <summary>The channel and caller, when the caller owns the channel; otherwise 403 saying only an owner <paramref name="does"/>.</summary>
    public static (ChannelRow Channel, Caller Caller) Managed(HttpContext context, ChannelFiles files, string channel, string does = "manages its members and reads its audit log")
    {
        ArgumentNullException.ThrowIfNull(files);
        var caller = Identity.Signed(context);
        var row = files.ReadableChannel(caller, channel);
        return AccessRules.CanManage(caller, row) ? (row, caller) : throw new ApiException(403, $"only an owner of '{row.Name}' {does}");
    }

    private static Dictionary<string, object?> Describe(ApiKeyRow key, IReadOnlyList<KeyRole> scopes) => new()
    {
        ["id"] = key.Id,
        ["description"] = key.Description,
        ["time_created"] = key.Created,
        ["expire_at"] = key.Expires,
        ["roles"] = scopes.Select(s => new { channel = s.Channel, package = s.Package, role = ChannelRoles.Name(s.Role) }).ToList(),
    };
}
