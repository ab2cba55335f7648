using System.Text.Json;
using Krait.Conda.Platforms;
using Krait.Server.Access;
using Krait.Server.Metadata;
using Krait.Server.Mirrors;
using Krait.Server.Publishing;
using Krait.Server.Storage;
using Krait.Server.Uploads;

namespace Krait.Server.Http;

/// <summary>
/// The JSON API under <c>/api</c>, in quetz's shapes for what clients use: channels (create, list, get, delete),
/// packages and their files, <c>/api/me</c>. Channels a caller may not read are absent from every answer.
/// </summary>
public static class ChannelApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, ChannelStorage storage, ChannelFiles files, ChannelPublisher publisher)
    {
        app.MapGet("/api/me", (HttpContext context) =>
        {
            var caller = Identity.Of(context);
            return caller.User is { } user
                ? Results.Json(new { name = user.Name, is_admin = user.IsAdmin, user = new { username = user.Name } })
                : throw new ApiException(401, "no API key was given (X-API-Key or Authorization: Bearer)");
        });

        app.MapGet("/api/channels", (HttpContext context) =>
        {
            var caller = Identity.Of(context);
            return Results.Json(store.Channels().Where(c => AccessRules.CanSee(caller, c, null)).Select(Describe));
        });

        app.MapPost("/api/channels", async (HttpContext context) =>
        {
            var caller = Identity.Of(context);
            if (!AccessRules.CanCreateChannel(caller))
            {
                throw new ApiException(401, "creating a channel needs an API key (X-API-Key or Authorization: Bearer)");
            }

            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var name = request.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw ApiException.BadRequest("give the channel's \"name\"");
            if (!ServerNames.IsChannel(name))
            {
                throw ApiException.BadRequest($"'{name}' is not a valid channel name: letters, digits and single . - _ between them, at most 64 characters (and not api, t, get, label)");
            }

            var mirror = MirrorOf(request);
            var isPrivate = request.TryGetProperty("private", out var p) && p.ValueKind == JsonValueKind.True;
            var commercial = request.TryGetProperty("commercial", out var c) && c.ValueKind == JsonValueKind.True;
            var organisation = JsonBody.Text(request, "organisation");
            if (organisation is not null)
            {
                // Its owners and maintainers make an organisation's channels.
                OrganisationApi.In(context, store, organisation, ChannelRole.Maintainer);
            }

            if (commercial && organisation is null && !caller.IsAdmin)
            {
                throw new ApiException(403, "a commercial channel is sold by an organisation (give \"organisation\") or by the house (administrators)");
            }

            if (commercial && mirror is not null)
            {
                throw ApiException.BadRequest("a commercial channel is published from its sources' snapshots, not mirrored");
            }

            if (!store.AddChannel(Identity.ActorOf(context), name, isPrivate, organisation is null ? caller.User!.Id : null, mirror, organisation, commercial))
            {
                throw new ApiException(409, $"a channel named '{name}' exists");
            }

            // A channel is valid for clients from its first moment: noarch/repodata.json exists, even empty (a proxy's is the upstream's).
            if (mirror?.Mode != MirrorMode.Proxy)
            {
                await publisher.PublishAsync(name, ServerNames.MainLabel, Platform.NoArch, null, context.RequestAborted).ConfigureAwait(false);
            }
            return Results.Json(Describe(store.Channel(name)!), statusCode: 201);
        });

        app.MapGet("/api/channels/{channel}", (HttpContext context, string channel) => Results.Json(Describe(files.ReadableChannel(Identity.Of(context), channel))));

        app.MapDelete("/api/channels/{channel}", async (HttpContext context, string channel, UploadService uploads) =>
        {
            var row = uploads.WritableChannel(Identity.Of(context), channel, package: null, allowMirror: true);
            if (!AccessRules.CanManage(Identity.Of(context), row))
            {
                throw new ApiException(403, $"only an owner of '{row.Name}' may delete it");
            }

            store.DeleteChannel(Identity.ActorOf(context), row.Name);
            publisher.Forget(row.Name);
            await storage.DeleteChannelAsync(row.Name, context.RequestAborted).ConfigureAwait(false);

            return Results.Json(new { detail = $"deleted the channel '{row.Name}'" });
        });

        app.MapPut("/api/channels/{channel}/actions", async (HttpContext context, string channel, UploadService uploads, MirrorSync mirrors) =>
        {
            var row = uploads.WritableChannel(Identity.Of(context), channel, package: null, allowMirror: true);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var action = request.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (action != "synchronize_repodata")
            {
                throw ApiException.BadRequest($"unknown action '{action}'; this server knows synchronize_repodata");
            }

            if (row.Mirror?.Mode != MirrorMode.Mirror)
            {
                throw ApiException.BadRequest($"'{row.Name}' is not a mirror channel (mirror_mode: mirror)");
            }

            var report = await mirrors.SynchronizeAsync(row, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { added = report.Added, removed = report.Removed, kept = report.Kept, refused = report.Refused });
        });

        app.MapGet("/api/channels/{channel}/packages", (HttpContext context, string channel) =>
        {
            var row = files.ReadableChannel(Identity.Of(context), channel);
            var packages = store.FilesOf(row.Name).GroupBy(f => f.Name, StringComparer.Ordinal).Select(g => new
            {
                name = g.Key,
                latest_version = g.Select(f => f.Version).MaxBy(v => Version.TryParse(v, out var parsed) ? parsed : null),
                platforms = g.Select(f => f.Subdir).Distinct().Order(StringComparer.Ordinal),
            });
            return Results.Json(packages);
        });

        app.MapGet("/api/channels/{channel}/packages/{name}/versions", (HttpContext context, string channel, string name) =>
        {
            var row = files.ReadableChannel(Identity.Of(context), channel);
            var versions = store.FilesOf(row.Name, name);
            if (versions.Count == 0)
            {
                throw ApiException.NotFound($"there is no package '{name}' in '{row.Name}'");
            }

            return Results.Json(versions.Select(Describe));
        });

        app.MapDelete("/api/channels/{channel}/packages/{name}/versions/{subdir}/{filename}", async (HttpContext context, string channel, string name, string subdir, string filename, UploadService uploads) =>
        {
            if (!filename.StartsWith(name + "-", StringComparison.Ordinal))
            {
                throw ApiException.NotFound($"{filename} is not a file of the package '{name}'");
            }

            await uploads.DeleteAsync(Identity.Of(context), channel, subdir, filename, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { detail = $"deleted {channel}/{subdir}/{filename}" });
        });
    }

    private static object Describe(ChannelRow channel) => new
    {
        name = channel.Name,
        @private = channel.Private,
        commercial = channel.Commercial,
        organisation = channel.OwnerOrg,
        mirror_channel_url = channel.Mirror?.Url,
        mirror_mode = channel.Mirror?.ModeText,
        mirror_filter = channel.Mirror?.Filter,
    };

    /// <summary>quetz's <c>mirror_channel_url</c> and <c>mirror_mode</c>, and Krait's <c>mirror_filter</c> (MatchSpecs), or null for a plain channel.</summary>
    private static MirrorSettings? MirrorOf(JsonElement request)
    {
        if (!request.TryGetProperty("mirror_channel_url", out var url) || url.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var mode = request.TryGetProperty("mirror_mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        List<string>? filter = null;
        if (request.TryGetProperty("mirror_filter", out var f) && f.ValueKind != JsonValueKind.Null)
        {
            filter = f.ValueKind == JsonValueKind.Array && f.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? [.. f.EnumerateArray().Select(e => e.GetString()!)]
                : throw ApiException.BadRequest("mirror_filter must be a list of MatchSpecs");
        }

        return url.ValueKind == JsonValueKind.String ? MirrorSettings.Parse(url.GetString()!, mode, filter) : throw ApiException.BadRequest("mirror_channel_url must be a URL");
    }

    private static object Describe(PackageFileRow file) => new
    {
        filename = file.Filename,
        platform = file.Subdir,
        version = file.Version,
        label = file.Label,
        sha256 = file.Sha256,
        size = file.Size,
        uploader = file.Uploader is null ? null : new { name = file.Uploader },
        time_created = file.Uploaded,
        info = JsonDocument.Parse(file.Record).RootElement,
    };
}
