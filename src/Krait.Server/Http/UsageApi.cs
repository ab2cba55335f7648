using System.Globalization;
using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>
/// Counted downloads of a package (<see cref="Metering.DownloadMeter"/>):
/// <c>GET /api/channels/{channel}/packages/{name}/downloads[?period=D|M][&amp;from=YYYY-MM-DD][&amp;to=YYYY-MM-DD]</c>
/// gives the total, per file, per client, and per day or month; for whoever may read the channel.
/// </summary>
public static class UsageApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, ChannelFiles files) =>
        app.MapGet("/api/channels/{channel}/packages/{name}/downloads", (HttpContext context, string channel, string name, string? period, string? from, string? to) =>
        {
            var row = files.ReadableChannel(Identity.Of(context), channel);
            if (period is not (null or "D" or "M"))
            {
                throw ApiException.BadRequest("period must be D (per day) or M (per month)");
            }

            var counted = store.Downloads(row.Name, name, Day(from, "from") ?? FirstDay, Day(to, "to") ?? LastDay, period);
            return Results.Json(Describe(row.Name, name, counted, period));
        });

    public const string FirstDay = "0001-01-01";

    public const string LastDay = "9999-12-31";

    /// <summary>The answer's shape: the total, per file (version, build, subdir), per client, and per period when asked.</summary>
    public static object Describe(string channel, string name, IReadOnlyList<DownloadRow> counted, string? period) => new
    {
        channel,
        package = name,
        total = counted.Sum(c => c.Downloads),
        versions = counted.GroupBy(c => (c.Version, c.Build, c.Subdir))
            .Select(g => new { version = g.Key.Version, build = g.Key.Build, subdir = g.Key.Subdir, downloads = g.Sum(c => c.Downloads) }),
        clients = counted.GroupBy(c => c.Client).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Downloads)),
        periods = period is null ? null : counted.GroupBy(c => c.Period).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new { period = g.Key, downloads = g.Sum(c => c.Downloads) }),
    };

    /// <summary>Whether a period's bound is a day as counts are kept, YYYY-MM-DD (they are compared as text).</summary>
    public static bool IsDay(string text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? Day(string? text, string what) =>
        text is null || IsDay(text) ? text : throw ApiException.BadRequest($"{what} must be a day, YYYY-MM-DD");
}
