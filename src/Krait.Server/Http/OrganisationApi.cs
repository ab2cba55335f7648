using Krait.Server.Access;
using Krait.Server.Metadata;
using Krait.Server.Storage;

namespace Krait.Server.Http;

/// <summary>
/// Organisations: <c>GET/POST /api/orgs</c>, <c>GET/POST/DELETE /api/orgs/{org}/members</c>, and for its owners
/// <c>/api/orgs/{org}/notices</c> and <c>/api/orgs/{org}/audit</c>. Members hold their organisation role in its
/// channels. An organisation the caller is not in does not exist for them (404).
/// </summary>
public static class OrganisationApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store)
    {
        app.MapGet("/api/orgs", (HttpContext context) =>
        {
            var caller = Identity.Signed(context);
            var names = caller.IsAdmin ? store.Organisations() : store.Organisations(caller.User!.Id);
            return Results.Json(names.Select(n => new { name = n, role = ChannelRoles.Name(AccessRules.RoleInOrganisation(caller, n)) }));
        });

        app.MapPost("/api/orgs", async (HttpContext context) =>
        {
            var caller = Identity.Signed(context);
            if (caller.KeyScopes is not null)
            {
                throw new ApiException(403, "this key is scoped to some channels: making an organisation needs a key that acts as its user");
            }

            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var name = JsonBody.Text(request, "name") ?? throw ApiException.BadRequest("give the organisation's \"name\"");
            if (!ServerNames.IsUser(name))
            {
                throw ApiException.BadRequest($"'{name}' is not a valid organisation name: letters, digits and single . - _ between them, at most 64 characters");
            }

            return store.AddOrganisation(Identity.ActorOf(context), name, caller.User!)
                ? Results.Json(new { name, role = "owner" }, statusCode: 201)
                : throw new ApiException(409, $"an organisation named '{name}' exists");
        });

        app.MapGet("/api/orgs/{org}/members", (HttpContext context, string org) =>
        {
            In(context, store, org, ChannelRole.Member);
            return Results.Json(store.OrganisationMembers(org).Select(m => new { user = new { username = m.User }, role = ChannelRoles.Name(m.Role) }));
        });

        app.MapPost("/api/orgs/{org}/members", async (HttpContext context, string org) =>
        {
            In(context, store, org, ChannelRole.Owner);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var user = UserNamed(store, JsonBody.Text(request, "username"));
            if (!ChannelRoles.TryParse(JsonBody.Text(request, "role"), out var role))
            {
                throw ApiException.BadRequest("role must be member, maintainer or owner");
            }

            store.SetOrganisationMember(Identity.ActorOf(context), org, user, role);
            return Results.Json(new { user = new { username = user.Name }, role = ChannelRoles.Name(role) }, statusCode: 201);
        });

        app.MapDelete("/api/orgs/{org}/members", (HttpContext context, string org, string? username) =>
        {
            In(context, store, org, ChannelRole.Owner);
            var user = UserNamed(store, username);
            if (store.OrganisationMembers(org) is var members && members.Count(m => m.Role == ChannelRole.Owner) == 1 && members.Any(m => m.User == user.Name && m.Role == ChannelRole.Owner))
            {
                throw new ApiException(409, $"'{user.Name}' is the last owner of '{org}': make another member owner first");
            }

            return store.RemoveOrganisationMember(Identity.ActorOf(context), org, user)
                ? Results.Json(new { detail = $"'{user.Name}' is no longer a member of '{org}' (and holds none of its seats)" })
                : throw ApiException.NotFound($"'{user.Name}' is not a member of '{org}'");
        });

        app.MapGet("/api/orgs/{org}/notices", (HttpContext context, string org) =>
        {
            In(context, store, org, ChannelRole.Owner);
            return Results.Json(store.Notices(org).Select(n => new { id = n.Id, at = n.At, subject = n.Subject, text = n.Text }));
        });

        app.MapGet("/api/orgs/{org}/audit", (HttpContext context, string org, int? limit) =>
        {
            In(context, store, org, ChannelRole.Owner);
            return Results.Json(store.AuditLog(null, Math.Clamp(limit ?? 1000, 1, 100_000), org).Select(AuditApi.Describe));
        });
    }

    /// <summary>Checks the caller holds at least <paramref name="needed"/> in the organisation: 404 for an organisation they are not in, 403 for too low a role.</summary>
    public static Caller In(HttpContext context, MetadataStore store, string organisation, ChannelRole needed)
    {
        ArgumentNullException.ThrowIfNull(store);
        var caller = Identity.Signed(context);
        var role = AccessRules.RoleInOrganisation(caller, organisation);
        if (role == ChannelRole.None || !store.OrganisationExists(organisation))
        {
            throw ApiException.NotFound($"there is no organisation '{organisation}' of yours");
        }

        return role >= needed ? caller : throw new ApiException(403, $"this needs the {ChannelRoles.Name(needed)} role in '{organisation}'; you are {ChannelRoles.Name(role)}");
    }

    public static UserRow UserNamed(MetadataStore store, string? name)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.User(name ?? throw ApiException.BadRequest("give the user's \"username\"")) ?? throw ApiException.NotFound($"there is no user '{name}'");
    }
}
