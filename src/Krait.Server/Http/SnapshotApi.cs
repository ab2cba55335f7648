using System.Text.Json;
using Krait.Server.Commerce;
using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>
/// Curated channels: an owner points a channel at source channels (<c>PUT /api/channels/{c}/sources</c>, which they
/// must be able to read) and publishes snapshots of them (<c>POST /api/channels/{c}/snapshots</c>); the list of
/// snapshots is <c>GET /api/channels/{c}/snapshots</c>.
/// </summary>
public static class SnapshotApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, ChannelFiles files)
    {
        app.MapGet("/api/channels/{channel}/sources", (HttpContext context, string channel) =>
            Results.Json(new { sources = store.Sources(files.ReadableChannel(Identity.Of(context), channel).Name) }));

        app.MapPut("/api/channels/{channel}/sources", async (HttpContext context, string channel) =>
        {
            var (row, caller) = AccountApi.Managed(context, files, channel, "sets its sources and publishes its snapshots");
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            if (!request.TryGetProperty("sources", out var list) || list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw ApiException.BadRequest("give \"sources\": a list of channel names, first wins");
            }

            var sources = list.EnumerateArray().Select(e => e.GetString()!).ToList();
            if (sources.Count != sources.Distinct(StringComparer.Ordinal).Count() || sources.Contains(row.Name))
            {
                throw ApiException.BadRequest("the sources must be distinct channels other than the channel itself");
            }

            foreach (var source in sources)
            {
                files.ReadableChannel(caller, source);
            }

            store.SetSources(Identity.ActorOf(context), row.Name, sources);
            return Results.Json(new { sources });
        });

        app.MapGet("/api/channels/{channel}/snapshots", (HttpContext context, string channel) =>
            Results.Json(store.Snapshots(files.ReadableChannel(Identity.Of(context), channel).Name).Select(Describe)));

        app.MapPost("/api/channels/{channel}/snapshots", async (HttpContext context, string channel, SnapshotPublisher snapshots) =>
        {
            var (row, caller) = AccountApi.Managed(context, files, channel, "sets its sources and publishes its snapshots");
            var sources = store.Sources(row.Name);
            if (sources.Count == 0)
            {
                throw new ApiException(409, $"'{row.Name}' has no sources to take a snapshot of: set them with PUT /api/channels/{row.Name}/sources");
            }

            if (row.Mirror is not null)
            {
                throw ApiException.BadRequest($"'{row.Name}' is a mirror: its packages come from its upstream, not from snapshots");
            }

            foreach (var source in sources)
            {
                files.ReadableChannel(caller, source);
            }

            var snapshot = await snapshots.PublishAsync(Identity.ActorOf(context), row, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(Describe(snapshot), statusCode: 201);
        });
    }

    private static object Describe(SnapshotRow s) => new
    {
        id = s.Id, created = s.Created, actor = s.Actor, sources = s.Sources.Split(", ", StringSplitOptions.RemoveEmptyEntries), files = s.Files, added = s.Added, removed = s.Removed,
    };
}
