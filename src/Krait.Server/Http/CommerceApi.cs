using System.Text.Json;
using Krait.Server.Access;
using Krait.Server.Commerce;
using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>
/// The commercial tier and its marketplace: a commercial channel's plans (<c>GET/POST /api/channels/{c}/plans</c>,
/// listed for everyone), subscriptions sold by the channel's owners (<c>POST /api/subscriptions</c>, <c>PATCH</c> to
/// change seats or end), seats assigned by the subscribing organisation's owners
/// (<c>GET/POST/DELETE /api/subscriptions/{id}/seats</c>), and revenue reports: a vendor's
/// (<c>/api/orgs/{org}/revenue</c>) and the whole server's (<c>/api/revenue</c>, administrators).
/// </summary>
public static class CommerceApi
{
    public static void Map(IEndpointRouteBuilder app, MetadataStore store, ChannelFiles files)
    {
        app.MapGet("/api/channels/{channel}/plans", (HttpContext context, string channel) =>
        {
            var row = files.KnownChannel(Identity.Of(context), channel);
            return Results.Json(store.Plans(row.Name).Select(Describe));
        });

        app.MapPost("/api/channels/{channel}/plans", async (HttpContext context, string channel) =>
        {
            var row = Sold(context, files, channel);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var name = JsonBody.Text(request, "name") ?? throw ApiException.BadRequest("give the plan's \"name\"");
            var price = request.TryGetProperty("price", out var p) && p.ValueKind is JsonValueKind.Number or JsonValueKind.String ? p.ToString() : null;
            var currency = JsonBody.Text(request, "currency") ?? "USD";
            if (SaleTerms.PlanProblem(name, price, currency, out var cents) is { } problem)
            {
                throw ApiException.BadRequest(problem);
            }

            store.SetPlan(Identity.ActorOf(context), row.Name, name, cents, currency);
            return Results.Json(Describe(store.Plans(row.Name).Single(x => x.Name == name)), statusCode: 201);
        });

        app.MapPost("/api/subscriptions", async (HttpContext context) =>
        {
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var row = Sold(context, files, JsonBody.Text(request, "channel") ?? throw ApiException.BadRequest("give the \"channel\""));
            var organisation = JsonBody.Text(request, "organisation") ?? throw ApiException.BadRequest("give the subscribing \"organisation\"");
            if (!store.OrganisationExists(organisation))
            {
                throw ApiException.NotFound($"there is no organisation '{organisation}'");
            }

            var planName = JsonBody.Text(request, "plan") ?? throw ApiException.BadRequest("give the \"plan\"");
            var plan = store.Plans(row.Name).SingleOrDefault(x => x.Name == planName) ?? throw ApiException.NotFound($"'{row.Name}' has no plan '{planName}'");
            var seats = JsonBody.Integer(request, "seats") ?? throw ApiException.BadRequest("give the number of \"seats\"");
            var (starts, ends) = (Day(request, "start") ?? MetadataStore.Today(), Day(request, "end") ?? throw ApiException.BadRequest("give the \"end\" day (YYYY-MM-DD)"));
            if ((SaleTerms.SeatsProblem(seats) ?? SaleTerms.PeriodProblem(starts, ends)) is { } problem)
            {
                throw ApiException.BadRequest(problem);
            }

            var id = store.AddSubscription(Identity.ActorOf(context), organisation, plan, seats, starts, ends);
            return Results.Json(Describe(store.Subscription(id)!), statusCode: 201);
        });

        app.MapGet("/api/subscriptions/{id:long}", (HttpContext context, long id) => Results.Json(Describe(Visible(context, store, id))));

        app.MapMethods("/api/subscriptions/{id:long}", [HttpMethods.Patch], async (HttpContext context, long id) =>
        {
            var subscription = Visible(context, store, id);
            Sold(context, files, subscription.Channel);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var seats = JsonBody.Integer(request, "seats");
            if (SaleTerms.SeatsProblem(seats) is { } problem)
            {
                throw ApiException.BadRequest(problem);
            }

            store.ChangeSubscription(Identity.ActorOf(context), id, seats, Day(request, "end"));
            var changed = store.Subscription(id)!;
            if (changed.Assigned > changed.Seats)
            {
                store.AddNotice(changed.Organisation, $"seats of subscription {id}",
                    $"The subscription to '{changed.Channel}' now has {changed.Seats} seats and {changed.Assigned} are assigned: the members past the count are refused until seats are freed or bought.");
            }

            return Results.Json(Describe(changed));
        });

        app.MapGet("/api/orgs/{org}/subscriptions", (HttpContext context, string org) =>
        {
            OrganisationApi.In(context, store, org, ChannelRole.Member);
            return Results.Json(store.Subscriptions(org).Select(Describe));
        });

        app.MapGet("/api/subscriptions/{id:long}/seats", (HttpContext context, long id) =>
        {
            var subscription = Visible(context, store, id);
            return Results.Json(store.SeatHolders(id).Select((s, i) => new { user = new { username = s.User }, assigned = s.Assigned, within = i < subscription.Seats }));
        });

        app.MapPost("/api/subscriptions/{id:long}/seats", async (HttpContext context, long id) =>
        {
            var subscription = Visible(context, store, id);
            OrganisationApi.In(context, store, subscription.Organisation, ChannelRole.Owner);
            var request = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
            var user = OrganisationApi.UserNamed(store, JsonBody.Text(request, "username"));
            return store.AssignSeat(Identity.ActorOf(context), subscription, user) switch
            {
                MetadataStore.SeatAssignment.Assigned => Results.Json(new { user = new { username = user.Name }, subscription = id }, statusCode: 201),
                MetadataStore.SeatAssignment.AlreadyHeld => Results.Json(new { user = new { username = user.Name }, subscription = id }),
                MetadataStore.SeatAssignment.NotMember => throw ApiException.BadRequest($"'{user.Name}' is not a member of '{subscription.Organisation}': add them first (POST /api/orgs/{subscription.Organisation}/members)"),
                _ => throw new ApiException(409, $"all {store.Subscription(id)!.Seats} seats of the subscription {id} to '{subscription.Channel}' are taken: buy more seats or free one (the owners of '{subscription.Organisation}' have a notice)"),
            };
        });

        app.MapDelete("/api/subscriptions/{id:long}/seats", (HttpContext context, long id, string? username) =>
        {
            var subscription = Visible(context, store, id);
            OrganisationApi.In(context, store, subscription.Organisation, ChannelRole.Owner);
            var user = OrganisationApi.UserNamed(store, username);
            return store.FreeSeat(Identity.ActorOf(context), subscription, user)
                ? Results.Json(new { detail = $"'{user.Name}' no longer holds a seat of the subscription {id}" })
                : throw ApiException.NotFound($"'{user.Name}' holds no seat of the subscription {id}");
        });

        app.MapGet("/api/orgs/{org}/revenue", (HttpContext context, string org, string? from, string? to) =>
        {
            OrganisationApi.In(context, store, org, ChannelRole.Owner);
            return Results.Json(RevenueReport(store, org, Check(from, "from") ?? UsageApi.FirstDay, Check(to, "to") ?? UsageApi.LastDay));
        });

        app.MapGet("/api/revenue", (HttpContext context, string? from, string? to) =>
            Identity.Signed(context).IsAdmin
                ? Results.Json(RevenueReport(store, null, Check(from, "from") ?? UsageApi.FirstDay, Check(to, "to") ?? UsageApi.LastDay))
                : throw new ApiException(403, "the whole server's revenue is for administrators; a vendor's owners read theirs at /api/orgs/{org}/revenue"));
    }

    /// <summary>What the subscriptions of one vendor, or of every one, earned from <paramref name="first"/> to <paramref name="last"/> (days).</summary>
    public static IReadOnlyList<RevenueLine> RevenueLines(MetadataStore store, string? vendor, string first, string last)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. Revenue.Report(store.Subscriptions(null, first, last), Revenue.Day(first), Revenue.Day(last)).Where(l => vendor is null || l.Vendor == vendor)];
    }

    /// <summary>The revenue report as JSON: each subscription's earnings and the totals per vendor and currency.</summary>
    public static object RevenueReport(MetadataStore store, string? vendor, string first, string last)
    {
        var lines = RevenueLines(store, vendor, first, last);
        return new
        {
            from = first,
            to = last,
            subscriptions = lines.Select(l => new
            {
                vendor = l.Vendor, channel = l.Channel, organisation = l.Organisation, subscription = l.Subscription, plan = l.Plan, seats = l.Seats,
                seat_price = Money.Amount(l.SeatPriceCents), currency = l.Currency, amount = Money.Amount(l.Cents),
            }),
            totals = Revenue.Totals(lines).Select(t => new { vendor = t.Vendor, currency = t.Currency, amount = Money.Amount(t.Cents) }),
        };
    }

    /// <summary>The channel, if the caller may sell subscriptions to it (a commercial channel they own).</summary>
    private static ChannelRow Sold(HttpContext context, ChannelFiles files, string channel)
    {
        var caller = Identity.Signed(context);
        var row = files.KnownChannel(caller, channel);
        if (!row.Commercial)
        {
            throw ApiException.BadRequest($"'{row.Name}' is not a commercial channel");
        }

        return AccessRules.CanSell(caller, row) ? row : throw new ApiException(403, $"only an owner of '{row.Name}' sets its plans and sells its subscriptions");
    }

    /// <summary>A subscription the caller may see: as a member of the subscribing organisation or a seller of the channel.</summary>
    private static SubscriptionRow Visible(HttpContext context, MetadataStore store, long id)
    {
        var caller = Identity.Signed(context);
        if (store.Subscription(id) is { } subscription
            && (AccessRules.RoleInOrganisation(caller, subscription.Organisation) >= ChannelRole.Member
                || (store.Channel(subscription.Channel) is { } channel && AccessRules.CanSell(caller, channel))))
        {
            return subscription;
        }

        throw ApiException.NotFound($"there is no subscription {id} of yours");
    }

    private static string? Day(JsonElement request, string name) => Check(JsonBody.Text(request, name), name);

    private static string? Check(string? text, string name) =>
        text is null ? null : UsageApi.IsDay(text) ? text : throw ApiException.BadRequest($"\"{name}\" must be a day, YYYY-MM-DD");

    private static object Describe(PlanRow plan) => new { name = plan.Name, channel = plan.Channel, seat_price = Money.Amount(plan.SeatPriceCents), currency = plan.Currency, per = "seat per month" };

    private static object Describe(SubscriptionRow s) => new
    {
        id = s.Id,
        organisation = s.Organisation,
        channel = s.Channel,
        vendor = s.Vendor ?? Revenue.HouseVendor,
        plan = s.Plan,
        seats = s.Seats,
        seats_assigned = s.Assigned,
        seat_price = Money.Amount(s.SeatPriceCents),
        currency = s.Currency,
        start = s.Starts,
        end = s.Ends,
        active = s.IsActiveOn(MetadataStore.Today()),
    };
}
