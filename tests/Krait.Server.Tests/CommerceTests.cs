using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Krait.Server.Home;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>
/// The commercial tier through real HTTP: organisations and seats (no more than bought, a clear error and a notice to
/// the owners otherwise), a vendor's own commercial channel on the marketplace with its plans, subscribers and
/// revenue, snapshots of source channels, and downloads counted for the paying organisation.
/// </summary>
public sealed class CommerceTests
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch");

    [Fact]
    public async Task Seats_are_assigned_up_to_the_count_bought_and_no_further()
    {
        await using var server = RunningServer.Start();
        var home = ServerHome.Open(server.HomePath);
        await server.CreateChannel("pro", commercial: true);
        await Post(server.Admin, "api/channels/pro/plans", """{"name": "team", "price": "15.00"}""", HttpStatusCode.Created);
        using var owner = ClientOf(server, home, "olivia");
        await Post(owner, "api/orgs", """{"name": "acme"}""", HttpStatusCode.Created);
        foreach (var user in new[] { "ann", "ben", "cat" })
        {
            Administration.AddUser(home, user, isAdmin: false);
            await Post(owner, "api/orgs/acme/members", $$"""{"username": "{{user}}", "role": "member"}""", HttpStatusCode.Created);
        }

        // The organisation's owner cannot sell itself a subscription: the channel's owner (here the house) does.
        var subscription = $$"""{"organisation": "acme", "channel": "pro", "plan": "team", "seats": 2, "end": "{{DateTime.UtcNow.AddMonths(1):yyyy-MM-dd}}"}""";
        await Post(owner, "api/subscriptions", subscription, HttpStatusCode.Forbidden);
        var id = JsonNode.Parse(await Post(server.Admin, "api/subscriptions", subscription, HttpStatusCode.Created))!["id"]!.GetValue<long>();

        await Post(owner, $"api/subscriptions/{id}/seats", """{"username": "ann"}""", HttpStatusCode.Created);
        await Post(owner, $"api/subscriptions/{id}/seats", """{"username": "ben"}""", HttpStatusCode.Created);
        var refused = await Post(owner, $"api/subscriptions/{id}/seats", """{"username": "cat"}""", HttpStatusCode.Conflict);
        Assert.Contains("all 2 seats", refused, StringComparison.Ordinal);
        Assert.Contains("cat got none", JsonNode.Parse(await owner.GetStringAsync("api/orgs/acme/notices"))![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var member = ClientOf(server, home, "ann"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("api/orgs/acme/notices")).StatusCode);
            await Post(member, $"api/subscriptions/{id}/seats", """{"username": "cat"}""", HttpStatusCode.Forbidden);
            Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("pro/noarch/repodata.json")).StatusCode);
        }

        Administration.AddUser(home, "stranger", isAdmin: false);
        await Post(owner, $"api/subscriptions/{id}/seats", """{"username": "stranger"}""", HttpStatusCode.BadRequest);

        // Taking ben out of the organisation frees his seat for cat; an expired subscription reads nothing.
        using (var removed = await owner.DeleteAsync("api/orgs/acme/members?username=ben"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        await Post(owner, $"api/subscriptions/{id}/seats", """{"username": "cat"}""", HttpStatusCode.Created);
        Assert.Equal(["ann", "cat"], JsonNode.Parse(await owner.GetStringAsync($"api/subscriptions/{id}/seats"))!.AsArray().Select(s => (string?)s!["user"]!["username"]));
        using (var ended = await server.Admin.PatchAsync($"api/subscriptions/{id}", RunningServer.Json($$"""{"end": "{{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}}"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        }

        using var lapsed = ClientOf(server, home, "cat");
        using var after = await lapsed.GetAsync("pro/noarch/repodata.json");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Contains("needs a seat", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var audit = JsonNode.Parse(await owner.GetStringAsync("api/orgs/acme/audit"))!.AsArray().Select(e => (string?)e!["action"]).ToList();
        Assert.Equal(["subscription.change", "seat.assign", "org.member.remove", "seat.assign", "seat.assign", "subscription.create"], audit.Take(6));
    }

    [Fact]
    public async Task A_vendor_sells_its_own_channel_and_reads_its_revenue()
    {
        await using var server = RunningServer.Start();
        var home = ServerHome.Open(server.HomePath);
        using var vendor = ClientOf(server, home, "vera");
        await Post(vendor, "api/orgs", """{"name": "vendorco"}""", HttpStatusCode.Created);
        await Post(vendor, "api/channels", """{"name": "vendor-tools", "commercial": true, "organisation": "vendorco"}""", HttpStatusCode.Created);
        using var user = ClientOf(server, home, "uma");
        await Post(user, "api/channels", """{"name": "mine", "commercial": true}""", HttpStatusCode.Forbidden);
        await Post(user, "api/channels", """{"name": "theirs", "organisation": "vendorco"}""", HttpStatusCode.NotFound);
        await Post(vendor, "api/channels/vendor-tools/plans", """{"name": "basic", "price": 20, "currency": "EUR"}""", HttpStatusCode.Created);
        await Post(vendor, "api/channels/vendor-tools/plans", """{"name": "odd", "price": 20.001}""", HttpStatusCode.BadRequest);
        await Post(user, "api/channels/vendor-tools/plans", """{"name": "cheap", "price": 1}""", HttpStatusCode.Forbidden);

        // The marketplace: anyone sees the channel and its plans, not its packages.
        var plans = JsonNode.Parse(await server.Client.GetStringAsync("api/channels/vendor-tools/plans"))!.AsArray();
        Assert.Equal("""[{"name":"basic","channel":"vendor-tools","seat_price":20.00,"currency":"EUR","per":"seat per month"}]""", plans.ToJsonString());
        Assert.Contains(JsonNode.Parse(await server.Client.GetStringAsync("api/channels"))!.AsArray(), c => (string?)c!["name"] == "vendor-tools" && (bool)c["commercial"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("vendor-tools/noarch/repodata.json")).StatusCode);

        await Post(user, "api/orgs", """{"name": "buyer"}""", HttpStatusCode.Created);
        var sold = JsonNode.Parse(await Post(vendor, "api/subscriptions", """{"organisation": "buyer", "channel": "vendor-tools", "plan": "basic", "seats": 3, "start": "2026-01-01", "end": "2026-03-31"}""", HttpStatusCode.Created))!;
        Assert.Equal(("vendorco", 20.00m), ((string?)sold["vendor"], (decimal)sold["seat_price"]!));

        // 3 seats × 20.00 × (all of January + 15 of February's 28 days) = 92.142857… → 92.14.
        var revenue = JsonNode.Parse(await vendor.GetStringAsync("api/orgs/vendorco/revenue?from=2026-01-01&to=2026-02-15"))!;
        Assert.Equal(92.14m, (decimal)revenue["subscriptions"]![0]!["amount"]!);
        Assert.Equal("""[{"vendor":"vendorco","currency":"EUR","amount":92.14}]""", revenue["totals"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("api/orgs/vendorco/revenue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("api/revenue")).StatusCode);
        var whole = JsonNode.Parse(await server.Admin.GetStringAsync("api/revenue?from=2026-01-01&to=2026-12-31"))!;
        Assert.Equal(180.00m, (decimal)whole["totals"]![0]!["amount"]!);
        var printed = ServerCommand.Expect(0, "revenue", server.HomePath, "--vendor", "vendorco", "--from", "2026-03-01", "--to", "2026-03-31", "--json").StandardOutput;
        Assert.Equal(60.00m, (decimal)JsonNode.Parse(printed)!["totals"]![0]!["amount"]!);
    }

    [Fact]
    public async Task A_commercial_channel_publishes_snapshots_of_its_sources()
    {
        await using var server = RunningServer.Start();
        await server.CreateChannel("community");
        await server.CreateChannel("curated", commercial: true);
        using (var uploaded = await server.Upload("community", Path.Combine(Recipes, "versioned-1.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        await Post(server.Admin, "api/channels/curated/snapshots", "{}", HttpStatusCode.Conflict);
        await Put(server.Admin, "api/channels/curated/sources", """{"sources": ["community", "nowhere"]}""", HttpStatusCode.NotFound);
        await Put(server.Admin, "api/channels/curated/sources", """{"sources": ["community"]}""", HttpStatusCode.OK);
        var first = JsonNode.Parse(await Post(server.Admin, "api/channels/curated/snapshots", "{}", HttpStatusCode.Created))!;
        Assert.Equal((1L, 1L, 0L), ((long)first["files"]!, (long)first["added"]!, (long)first["removed"]!));

        // Later uploads to the source reach the curated channel only with the next snapshot.
        using (var uploaded = await server.Upload("community", Path.Combine(Recipes, "versioned-2.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        Assert.Equal(["versioned-1.0-0.conda"], await Listed(server.Admin, "curated"));
        using (var deleted = await server.Admin.DeleteAsync("api/channels/community/packages/versioned/versions/noarch/versioned-1.0-0.conda"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var second = JsonNode.Parse(await Post(server.Admin, "api/channels/curated/snapshots", "{}", HttpStatusCode.Created))!;
        Assert.Equal((1L, 1L, 1L), ((long)second["files"]!, (long)second["added"]!, (long)second["removed"]!));
        Assert.Equal(["versioned-2.0-0.conda"], await Listed(server.Admin, "curated"));
        var bytes = await server.Admin.GetByteArrayAsync("curated/noarch/versioned-2.0-0.conda");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Recipes, "versioned-2.0-0.conda")), bytes);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("curated/noarch/versioned-1.0-0.conda")).StatusCode);
        Assert.Equal(2, JsonNode.Parse(await server.Admin.GetStringAsync("api/channels/curated/snapshots"))!.AsArray().Count);

        // The same from the server home.
        var printed = ServerCommand.Expect(0, "channel", "snapshot", server.HomePath, "--name", "curated").StandardOutput;
        Assert.Contains("1 files from community (0 added or changed, 0 removed)", printed, StringComparison.Ordinal);
        Assert.Contains("no sources", ServerCommand.Expect(1, "channel", "snapshot", server.HomePath, "--name", "community").StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_by_a_seat_holder_are_counted_for_the_paying_organisation()
    {
        await using var server = RunningServer.Start();
        var home = ServerHome.Open(server.HomePath);
        await server.CreateChannel("pro", commercial: true);
        await server.CreateChannel("free");
        foreach (var channel in new[] { "pro", "free" })
        {
            using var uploaded = await server.Upload(channel, Path.Combine(Recipes, "versioned-2.0-0.conda"));
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        await Post(server.Admin, "api/channels/pro/plans", """{"name": "team", "price": 15}""", HttpStatusCode.Created);
        using var payer = ClientOf(server, home, "pat");
        await Post(payer, "api/orgs", """{"name": "payco"}""", HttpStatusCode.Created);
        var id = JsonNode.Parse(await Post(server.Admin, "api/subscriptions", $$"""{"organisation": "payco", "channel": "pro", "plan": "team", "seats": 1, "end": "{{DateTime.UtcNow.AddDays(30):yyyy-MM-dd}}"}""", HttpStatusCode.Created))!["id"]!.GetValue<long>();
        await Post(payer, $"api/subscriptions/{id}/seats", """{"username": "pat"}""", HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.OK, (await payer.GetAsync("pro/noarch/versioned-2.0-0.conda")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await payer.GetAsync("free/noarch/versioned-2.0-0.conda")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("free/noarch/versioned-2.0-0.conda")).StatusCode);
        var store = home.OpenMetadata();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (store.Downloads("free", null, "0001-01-01", "9999-12-31", null).Sum(r => r.Downloads) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(2, store.PaidDownloads("0001-01-01", "9999-12-31")["versioned"]);
        Assert.Equal(3, store.Downloads("pro", null, "0001-01-01", "9999-12-31", null).Sum(r => r.Downloads) + store.Downloads("free", null, "0001-01-01", "9999-12-31", null).Sum(r => r.Downloads));
    }

    private static async Task<string[]> Listed(HttpClient client, string channel) =>
        [.. JsonNode.Parse(await client.GetStringAsync($"{channel}/noarch/repodata.json"))!["packages.conda"]!.AsObject().Select(p => p.Key)];

    private static HttpClient ClientOf(RunningServer server, ServerHome home, string user)
    {
        if (home.OpenMetadata().User(user) is null)
        {
            Administration.AddUser(home, user, isAdmin: false);
        }

        var client = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Administration.CreateKey(home, user, null, null, null, null, null).Key);
        return client;
    }

    private static async Task<string> Post(HttpClient client, string path, string json, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(path, RunningServer.Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task Put(HttpClient client, string path, string json, HttpStatusCode expected)
    {
        using var response = await client.PutAsync(path, RunningServer.Json(json));
        Assert.True(response.StatusCode == expected, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
