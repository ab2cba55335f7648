using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Krait.Server.Access;
using Krait.Server.Home;
using Krait.Server.Tests.ScaleOut;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>
/// Who may do what, through real HTTP, every cell asserted: {anonymous, a user with no role, member, maintainer,
/// owner, an expired key, a revoked key, a key of another channel, a key that may only upload one package, the
/// holder of a seat of a subscription, a seat past the count bought, a member of the subscribing organisation
/// without a seat} × {public, private, commercial channel} × {repodata, shard, package file, API listing, upload,
/// delete}, on SQLite and on PostgreSQL.
/// </summary>
[Collection(ScaleOutGroup.Name)]
public sealed class AccessMatrixTests(ScaleOutServices services)
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch");

    private static readonly string[] Operations = ["repodata", "shard", "package", "listing", "upload", "delete"];

    private static readonly string[] Channels = ["pub", "priv", "com"];

    /// <summary>The expected statuses of the six operations, on the public, the private and the commercial channel.</summary>
    private static readonly Dictionary<string, int[][]> Expected = new()
    {
        ["anonymous"] = [[200, 200, 200, 200, 401, 401], [404, 404, 404, 404, 404, 404], [401, 401, 401, 401, 401, 401]],
        ["no role"] = [[200, 200, 200, 200, 403, 403], [404, 404, 404, 404, 404, 404], [403, 403, 403, 403, 403, 403]],
        ["member"] = [[200, 200, 200, 200, 403, 403], [200, 200, 200, 200, 403, 403], [200, 200, 200, 200, 403, 403]],
        ["maintainer"] = [[200, 200, 200, 200, 201, 200], [200, 200, 200, 200, 201, 200], [200, 200, 200, 200, 201, 200]],
        ["owner"] = [[200, 200, 200, 200, 201, 200], [200, 200, 200, 200, 201, 200], [200, 200, 200, 200, 201, 200]],
        ["expired key"] = [[401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401]],
        ["revoked key"] = [[401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401]],
        ["key of another channel"] = [[200, 200, 200, 200, 403, 403], [404, 404, 404, 404, 404, 404], [403, 403, 403, 403, 403, 403]],
        ["upload-only key"] = [[200, 200, 200, 200, 201, 200], [404, 404, 404, 404, 201, 200], [403, 403, 403, 403, 201, 200]],
        ["seat holder"] = [[200, 200, 200, 200, 403, 403], [404, 404, 404, 404, 404, 404], [200, 200, 200, 200, 403, 403]],
        ["seat past the count"] = [[200, 200, 200, 200, 403, 403], [404, 404, 404, 404, 404, 404], [403, 403, 403, 403, 403, 403]],
        ["organisation member without a seat"] = [[200, 200, 200, 200, 403, 403], [404, 404, 404, 404, 404, 404], [403, 403, 403, 403, 403, 403]],
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Every_caller_gets_exactly_what_its_role_allows_on_every_path(string backend)
    {
        await using var server = backend == "sqlite" ? RunningServer.Start() : RunningServer.Start(new ServerSettings { Database = services.Postgres.NewDatabase() });
        await server.CreateChannel("pub");
        await server.CreateChannel("priv", isPrivate: true);
        await server.CreateChannel("other", isPrivate: true);
        await server.CreateChannel("com", commercial: true);
        foreach (var channel in Channels)
        {
            using var seeded = await server.Upload(channel, Path.Combine(Recipes, "versioned-1.0-0.conda"));
            Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);
        }

        var home = ServerHome.Open(server.HomePath);
        var store = home.OpenMetadata();
        string KeyOf(string user, DateTimeOffset? expires = null)
        {
            var row = store.User(user) ?? Administration.AddUser(home, user, isAdmin: false);
            var key = ApiKeys.Generate();
            store.AddApiKey(Metadata.Actor.Local, row, ApiKeys.Hash(key), "matrix", expires);
            return key;
        }

        var keys = new Dictionary<string, string?>
        {
            ["anonymous"] = null,
            ["no role"] = KeyOf("nobody-here"),
            ["member"] = KeyOf("reader"),
            ["maintainer"] = KeyOf("packager"),
            ["owner"] = KeyOf("boss"),
            ["expired key"] = KeyOf("boss", DateTimeOffset.UtcNow.AddSeconds(-1)),
            ["revoked key"] = KeyOf("boss"),
            ["key of another channel"] = Administration.CreateKey(home, "admin", "other", "owner", null, null, "other only").Key,
            ["seat holder"] = KeyOf("subscriber"),
            ["seat past the count"] = KeyOf("latecomer"),
            ["organisation member without a seat"] = KeyOf("unseated"),
        };
        await Subscribe(server, store);
        foreach (var channel in Channels)
        {
            foreach (var (user, role) in new[] { ("reader", "member"), ("packager", "maintainer"), ("boss", "owner") })
            {
                using var granted = await server.Admin.PostAsync($"api/channels/{channel}/members", RunningServer.Json($$"""{"username": "{{user}}", "role": "{{role}}"}"""));
                Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
            }
        }

        // The maintainer makes an upload key for one package, through the API, and the owner revokes a key of theirs the same way.
        using (var maintainer = Client(server, keys["maintainer"]))
        {
            using var made = await maintainer.PostAsync("api/api-keys", RunningServer.Json("""
                {"description": "CI upload of versioned", "roles": [{"channel": "pub", "package": "versioned", "role": "maintainer"}, {"channel": "priv", "package": "versioned", "role": "maintainer"}, {"channel": "com", "package": "versioned", "role": "maintainer"}]}
                """));
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            keys["upload-only key"] = JsonNode.Parse(await made.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
        }

        using (var owner = Client(server, keys["revoked key"]))
        {
            using var revoked = await owner.DeleteAsync($"api/api-keys/{keys["revoked key"]}");
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            Assert.Contains(server.Log.Lines, l => l.StartsWith("DELETE /api/api-keys/<redacted> 200", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Log.Lines, l => l.Contains(keys["revoked key"]!, StringComparison.Ordinal));
        }

        var shards = Channels.ToDictionary(c => c, c => Path.GetFileName(Directory.GetFiles(
            Path.Combine(server.HomePath, "storage", "channels", c, "index", "main", "noarch"), "*" + Krait.Index.ChannelLayout.ShardSuffix).Order(StringComparer.Ordinal).First()));
        var wrong = new List<string>();
        foreach (var (caller, key) in keys)
        {
            using var client = Client(server, key);
            for (var c = 0; c < Channels.Length; c++)
            {
                var actual = await Run(server, client, Channels[c], shards[Channels[c]]);
                for (var i = 0; i < Operations.Length; i++)
                {
                    if (actual[i] != Expected[caller][c][i])
                    {
                        wrong.Add($"{caller} × {Channels[c]} × {Operations[i]}: {actual[i]}, expected {Expected[caller][c][i]}");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {keys.Count * Channels.Length * Operations.Length} cells differ:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public async Task No_one_grants_a_role_they_do_not_hold()
    {
        await using var server = RunningServer.Start();
        await server.CreateChannel("priv", isPrivate: true);
        var home = ServerHome.Open(server.HomePath);
        Administration.AddUser(home, "reader", isAdmin: false);
        using (var granted = await server.Admin.PostAsync("api/channels/priv/members", RunningServer.Json("""{"username": "reader", "role": "member"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        using var reader = Client(server, Administration.CreateKey(home, "reader", null, null, null, null, null).Key);
        using var escalate = await reader.PostAsync("api/api-keys", RunningServer.Json("""{"roles": [{"channel": "priv", "role": "owner"}]}"""));
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);

        // A key scoped to reading cannot make a key that acts as its whole user.
        using var scoped = Client(server, Administration.CreateKey(home, "reader", "priv", "member", null, null, "read only").Key);
        using var unscoped = await scoped.PostAsync("api/api-keys", RunningServer.Json("""{"description": "everything"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        using var within = await scoped.PostAsync("api/api-keys", RunningServer.Json("""{"roles": [{"channel": "priv", "role": "member"}]}"""));
        Assert.Equal(HttpStatusCode.Created, within.StatusCode);
        using var members = await reader.PostAsync("api/channels/priv/members", RunningServer.Json("""{"username": "reader", "role": "owner"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, members.StatusCode);
        using var deleteChannel = await reader.DeleteAsync("api/channels/priv");
        Assert.Equal(HttpStatusCode.Forbidden, deleteChannel.StatusCode);
        var listed = JsonNode.Parse(await server.Admin.GetStringAsync("api/channels/priv/members"))!.AsArray();
        Assert.Equal("member", (string?)listed.Single()!["role"]);

        // What changed access is in the audit log: the channel's part for its owners, all of it for administrators.
        var log = JsonNode.Parse(await server.Admin.GetStringAsync("api/audit?channel=priv"))!.AsArray();
        Assert.Equal(["key.create", "key.create", "member.set", "channel.create"], log.Select(e => (string?)e!["action"]));
        Assert.Equal(("reader", "member", "127.0.0.1"), ((string?)log[2]!["subject"], (string?)log[2]!["detail"], (string?)log[2]!["origin"]));
        Assert.StartsWith("admin (key ", (string?)log[2]!["actor"], StringComparison.Ordinal);
        Assert.Contains(JsonNode.Parse(await server.Admin.GetStringAsync("api/audit"))!.AsArray(), e => (string?)e!["action"] == "user.add" && (string?)e["subject"] == "reader");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("api/audit?channel=priv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("api/audit")).StatusCode);
    }

    /// <summary>
    /// The organisation "acme" subscribes to the commercial channel with two seats, held by "subscriber" and
    /// "latecomer", then cuts them to one: the latecomer's seat is past the count. "unseated" is a member with none.
    /// </summary>
    private static async Task Subscribe(RunningServer server, Metadata.MetadataStore store)
    {
        using (var plan = await server.Admin.PostAsync("api/channels/com/plans", RunningServer.Json("""{"name": "team", "price": 15, "currency": "USD"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        }

        using (var organisation = await server.Admin.PostAsync("api/orgs", RunningServer.Json("""{"name": "acme"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, organisation.StatusCode);
        }

        foreach (var user in new[] { "subscriber", "latecomer", "unseated" })
        {
            using var added = await server.Admin.PostAsync("api/orgs/acme/members", RunningServer.Json($$"""{"username": "{{user}}", "role": "member"}"""));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var today = DateTime.UtcNow;
        using var subscribed = await server.Admin.PostAsync("api/subscriptions", RunningServer.Json(
            $$"""{"organisation": "acme", "channel": "com", "plan": "team", "seats": 2, "start": "{{today.AddDays(-1):yyyy-MM-dd}}", "end": "{{today.AddYears(1):yyyy-MM-dd}}"}"""));
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var id = JsonNode.Parse(await subscribed.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        foreach (var user in new[] { "subscriber", "latecomer" })
        {
            using var seat = await server.Admin.PostAsync($"api/subscriptions/{id}/seats", RunningServer.Json($$"""{"username": "{{user}}"}"""));
            Assert.Equal(HttpStatusCode.Created, seat.StatusCode);
        }

        using var cut = await server.Admin.PatchAsync($"api/subscriptions/{id}", RunningServer.Json("""{"seats": 1}"""));
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.Contains(store.Notices("acme"), n => n.Text.Contains("now has 1 seats and 2 are assigned", StringComparison.Ordinal));
    }

    /// <summary>The statuses of repodata, a shard, a package file, the API listing, an upload and a deletion of one channel.</summary>
    private static async Task<int[]> Run(RunningServer server, HttpClient client, string channel, string shard)
    {
        var statuses = new int[Operations.Length];
        statuses[0] = await Status(client.GetAsync($"{channel}/noarch/repodata.json"));
        statuses[1] = await Status(client.GetAsync($"{channel}/noarch/{shard}"));
        statuses[2] = await Status(client.GetAsync($"{channel}/noarch/versioned-1.0-0.conda"));
        statuses[3] = await Status(client.GetAsync($"api/channels/{channel}/packages"));
        var archive = Path.Combine(Recipes, "versioned-2.0-0.conda");
        statuses[4] = await Status(server.Upload(channel, archive, client: client));
        if (statuses[4] != 201)
        {
            using var seeded = await server.Upload(channel, archive, force: true);
            Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);
        }

        const string File = "api/channels/{0}/packages/versioned/versions/noarch/versioned-2.0-0.conda";
        statuses[5] = await Status(client.DeleteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, File, channel)));
        if (statuses[5] != 200)
        {
            using var cleaned = await server.Admin.DeleteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, File, channel));
            Assert.Equal(HttpStatusCode.OK, cleaned.StatusCode);
        }

        return statuses;
    }

    private static async Task<int> Status(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return (int)response.StatusCode;
    }

    private static HttpClient Client(RunningServer server, string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
