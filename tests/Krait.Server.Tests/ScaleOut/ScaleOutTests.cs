using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Krait.Repodata.Remote;
using Krait.Server.Home;
using Krait.TestSupport;
using ZstdSharp;

namespace Krait.Server.Tests.ScaleOut;

/// <summary>
/// Krait Server scaled out by configuration: metadata in a real PostgreSQL, packages in a real S3-compatible server
/// (s3rver), and two server instances on their own ports sharing only those: what one is sent, both serve.
/// </summary>
[Collection(ScaleOutGroup.Name)]
public sealed class ScaleOutTests(ScaleOutServices services)
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch");

    [Fact]
    public async Task PostgreSQL_keeps_the_metadata_and_decides_conflicts()
    {
        await using var server = RunningServer.Start(new ServerSettings { Database = services.Postgres.NewDatabase() });
        await server.CreateChannel("demo");
        foreach (var file in new[] { "versioned-1.0-0.conda", "versioned-2.0-0.conda", "dependency-1.0-0.conda" })
        {
            using var uploaded = await server.Upload("demo", Path.Combine(Recipes, file));
            Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync() + server.Log);
        }

        using (var again = await server.Upload("demo", Path.Combine(Recipes, "versioned-2.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var forced = await server.Upload("demo", Path.Combine(Recipes, "versioned-2.0-0.conda"), force: true, label: "dev"))
        {
            Assert.Equal(HttpStatusCode.Created, forced.StatusCode);
        }

        using (var deleted = await server.Admin.DeleteAsync("api/channels/demo/packages/dependency/versions/noarch/dependency-1.0-0.conda"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal(["versioned-1.0-0.conda"], await Listed(server, "demo/noarch"));
        Assert.Equal(["versioned-2.0-0.conda"], await Listed(server, "demo/label/dev/noarch"));
        var me = JsonNode.Parse(await server.Admin.GetStringAsync("api/me"))!;
        Assert.Equal("admin", (string?)me["name"] ?? (string?)me["user"]?["username"]);
    }

    [Fact]
    public async Task A_change_of_access_on_one_instance_holds_at_once_on_the_other()
    {
        var settings = services.SharedRepository();
        await using var first = RunningServer.Start(settings);
        await using var second = RunningServer.Start(settings, first.AdminKey);
        await first.CreateChannel("closed", isPrivate: true);
        var home = ServerHome.Open(first.HomePath);
        Administration.AddUser(home, "reader", isAdmin: false);
        var (key, id) = Administration.CreateKey(home, "reader", null, null, null, null, null);
        using var reader = new HttpClient { BaseAddress = new Uri(second.Url + "/") };
        reader.DefaultRequestHeaders.Add("X-API-Key", key);

        // The second instance remembers what the key may do between requests; each change on the first is seen on the next request.
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("closed/noarch/repodata.json")).StatusCode);
        using (var granted = await first.Admin.PostAsync("api/channels/closed/members", RunningServer.Json("""{"username": "reader", "role": "member"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("closed/noarch/repodata.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("closed/noarch/repodata.json")).StatusCode);
        using (var removed = await first.Admin.DeleteAsync("api/channels/closed/members?username=reader"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("closed/noarch/repodata.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("api/me")).StatusCode);
        Administration.RevokeKey(home, id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("api/me")).StatusCode);

        // A channel deleted through one instance is gone from the other.
        Assert.Equal(HttpStatusCode.OK, (await second.Admin.GetAsync("closed/noarch/repodata.json")).StatusCode);
        using (var deleted = await first.Admin.DeleteAsync("api/channels/closed"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await second.Admin.GetAsync("closed/noarch/repodata.json")).StatusCode);
    }

    [Fact]
    public async Task Two_instances_sharing_PostgreSQL_and_an_object_store_serve_one_repository()
    {
        var settings = services.SharedRepository();
        await using var first = RunningServer.Start(settings);
        await using var second = RunningServer.Start(settings, first.AdminKey);
        await first.CreateChannel("demo");

        using (var uploaded = await first.Upload("demo", Path.Combine(Recipes, "versioned-1.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        Assert.Equal(["versioned-1.0-0.conda"], await Listed(second, "demo/noarch"));

        // Sixteen uploads at once, half through each instance: both publish into the same files, one at a time.
        var files = Directory.EnumerateFiles(Recipes, "*.conda").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)
            .Where(f => f != "versioned-1.0-0.conda").Take(16).ToList();
        var responses = await Task.WhenAll(files.Select((file, i) => (i % 2 == 0 ? first : second).Upload("demo", Path.Combine(Recipes, file))));
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        var expected = files.Append("versioned-1.0-0.conda").Order(StringComparer.Ordinal).ToList();
        foreach (var server in new[] { first, second })
        {
            Assert.Equal(expected, await Listed(server, "demo/noarch"));
            var shards = ShardFormat.ReadIndex(new Decompressor().Unwrap(await server.Client.GetByteArrayAsync("demo/noarch/repodata_shards.msgpack.zst")).ToArray());
            var names = JsonNode.Parse(await server.Client.GetStringAsync("demo/channeldata.json"))!["packages"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(names, shards.Shards.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(expected.Select(f => f[..f.LastIndexOf('-', f.LastIndexOf('-') - 1)]).Distinct().Order(StringComparer.Ordinal), names);
        }

        // A package is a redirect to the object store, which the client follows to the very bytes uploaded.
        var archive = Path.Combine(Recipes, files[0]);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(second.Url + "/") };
        using (var redirect = await noRedirects.GetAsync($"demo/noarch/{files[0]}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.StartsWith(services.S3.Endpoint, redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(archive)), SHA256.HashData(await second.Client.GetByteArrayAsync($"demo/noarch/{files[0]}")));

        // Taken out through one instance, gone from both.
        using (var deleted = await second.Admin.DeleteAsync($"api/channels/demo/packages/versioned/versions/noarch/versioned-1.0-0.conda"))
        {
            Assert.True(deleted.StatusCode == HttpStatusCode.OK, second.Log.ToString());
        }

        Assert.DoesNotContain("versioned-1.0-0.conda", await Listed(first, "demo/noarch"));
        using (var gone = await first.Client.GetAsync("demo/noarch/versioned-1.0-0.conda"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task Krait_uploads_through_one_instance_and_creates_an_environment_through_the_other()
    {
        using var scratch = new TempFolder("scale-out-client").Create();
        var settings = services.SharedRepository();
        await using var first = RunningServer.Start(settings);
        await using var second = RunningServer.Start(settings, first.AdminKey);
        await first.CreateChannel("demo");
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };
        var upload = KraitProcess.Run(["upload", "-c", $"{first.Url}/demo", "--api-key", first.AdminKey, .. Directory.EnumerateFiles(Recipes, "*.conda").Order(StringComparer.Ordinal)], environment);
        Assert.True(upload.ExitCode == 0, upload.StandardError);

        var prefix = scratch.Combine("env");
        var create = KraitProcess.Run(["create", "-y", "-p", prefix, "-c", $"{second.Url}/demo", "--override-channels", "--platform", "linux-64", "another_dependent", "small-executable"], environment);
        Assert.True(create.ExitCode == 0, create.StandardError + create.StandardOutput);
        Assert.True(File.Exists(Path.Combine(prefix, "bin", "small")));
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json")));

        // The index came through the second instance, sharded; the shards and packages from the store by redirect.
        var log = second.Log.Lines.ToList();
        Assert.Contains(log, l => l.StartsWith("GET /demo/noarch/repodata_shards.msgpack.zst 200", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("GET /demo/noarch/small-executable-1.0-0.conda 302", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mirror_synchronised_by_one_instance_is_served_by_the_other()
    {
        await using var upstream = RunningServer.Start();
        await upstream.CreateChannel("forge");
        foreach (var file in new[] { "versioned-1.0-0.conda", "versioned-2.0-0.conda", "dependency-2.0-0.conda", "dependent-2.0-0.conda" })
        {
            using var uploaded = await upstream.Upload("forge", Path.Combine(Recipes, file));
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var settings = services.SharedRepository() with { MirrorIntervalSeconds = 0 };
        await using var first = RunningServer.Start(settings);
        await using var second = RunningServer.Start(settings, first.AdminKey);
        using (var created = await first.Admin.PostAsync("api/channels", RunningServer.Json($$"""{"name": "mirror", "mirror_channel_url": "{{upstream.Url}}/forge", "mirror_mode": "mirror", "mirror_filter": ["versioned"]}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var sync = await first.Admin.PutAsync("api/channels/mirror/actions", RunningServer.Json("""{"action": "synchronize_repodata"}""")))
        {
            var report = JsonNode.Parse(await sync.Content.ReadAsStringAsync())!;
            Assert.True(sync.StatusCode == HttpStatusCode.OK, report.ToJsonString());
            Assert.Equal(2, (int)report["added"]!);
        }

        Assert.Equal(["versioned-1.0-0.conda", "versioned-2.0-0.conda"], await Listed(second, "mirror/noarch"));
        Assert.Equal(
            SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Recipes, "versioned-2.0-0.conda"))),
            SHA256.HashData(await second.Client.GetByteArrayAsync("mirror/noarch/versioned-2.0-0.conda")));
    }

    [Fact]
    public async Task Files_from_an_object_store_keep_the_validators_and_probes_clients_rely_on()
    {
        await using var server = RunningServer.Start(new ServerSettings { Storage = services.S3.StorageUrl(Guid.NewGuid().ToString("N")) });
        await server.CreateChannel("demo");
        using (var uploaded = await server.Upload("demo", Path.Combine(Recipes, "versioned-2.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        foreach (var path in new[] { "demo/noarch/repodata.json.zst", "demo/noarch/repodata_shards.msgpack.zst", "demo/channeldata.json" })
        {
            using var get = await server.Client.GetAsync(path);
            using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, get.Content.Headers.ContentLength);
            Assert.Contains("max-age=120", get.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

            var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
            revalidate.Headers.IfNoneMatch.Add(get.Headers.ETag!);
            using var notModified = await server.Client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        foreach (var path in new[] { "demo/linux-64/repodata.json.zst", "demo/noarch/versioned-9.0-0.conda", "demo/label/dev/noarch/repodata.json" })
        {
            using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        // HEAD of a package is redirected to a URL signed for HEAD, which the store answers with the file's length.
        using var probe = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "demo/noarch/versioned-2.0-0.conda"));
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(new FileInfo(Path.Combine(Recipes, "versioned-2.0-0.conda")).Length, probe.Content.Headers.ContentLength);
    }

    [Fact]
    public void Init_with_a_shared_database_and_store_makes_the_first_home_and_joins_the_next_to_it()
    {
        using var scratch = new TempFolder("scale-out-init").Create();
        var serverDll = Path.Combine(Path.GetDirectoryName(KraitProcess.CliPath)!, "..", "..", "..", "..", "Krait.Server", "bin", Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(KraitProcess.CliPath))!), "net10.0", "krait-server.dll");
        var environment = new Dictionary<string, string> { ["KRAIT_SERVER_EXE"] = Path.GetFullPath(serverDll) };
        string[] shared = ["--database", services.Postgres.NewDatabase(), "--storage", services.S3.StorageUrl(Guid.NewGuid().ToString("N"))];

        var first = KraitProcess.Run(["server", "init", scratch.Combine("one"), "--json", .. shared], environment);
        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.StartsWith("krait_", JsonNode.Parse(first.StandardOutput)!["api_key"]!.GetValue<string>(), StringComparison.Ordinal);

        var second = KraitProcess.Run(["server", "init", scratch.Combine("two"), .. shared], environment);
        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Contains("already holds", second.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("krait_", second.StandardOutput, StringComparison.Ordinal);

        var wrong = KraitProcess.Run(["server", "init", scratch.Combine("three"), "--database", "postgres://krait:hunter2@127.0.0.1:1/nothing"], environment);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("metadata database cannot be used", wrong.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", wrong.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.Combine("three")));
    }

    [Fact]
    public void A_database_or_storage_that_cannot_be_used_is_refused_with_the_reason_and_leaves_no_home()
    {
        using var folder = new TempFolder("bad-home");
        var unknown = Assert.Throws<ServerHomeException>(() => ServerHome.Init(folder.Combine("a"), settings: new ServerSettings { Database = "mysql://root@127.0.0.1/x" }));
        Assert.Contains("PostgreSQL URL", unknown.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("a")));

        var storage = Assert.Throws<ServerHomeException>(() => ServerHome.Init(folder.Combine("b"), settings: new ServerSettings { Storage = "s3://bucket/x?endpoint=http://127.0.0.1:1" }));
        Assert.Contains("keys", storage.Message, StringComparison.Ordinal);

        var closed = Assert.ThrowsAny<System.Data.Common.DbException>(() => ServerHome.Init(folder.Combine("c"), settings: new ServerSettings { Database = "postgres://krait:secret@127.0.0.1:1/none" }));
        Assert.DoesNotContain("secret", closed.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("c")));
    }

    [Theory]
    [InlineData("postgres://krait:p%40ss@db.example:6543/repo?sslmode=require", "db.example", 6543, "repo", "krait", "p@ss")]
    [InlineData("postgresql://me@127.0.0.1/", "127.0.0.1", 5432, "me", "me", null)]
    public void A_PostgreSQL_URL_becomes_a_connection_string(string url, string host, int port, string database, string user, string? password)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Metadata.PostgresDatabase.ConnectionString(url));
        Assert.Equal((host, port, database, user, password), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    private static async Task<List<string>> Listed(RunningServer server, string subdirPath)
    {
        var repodata = JsonNode.Parse(await server.Client.GetStringAsync($"{subdirPath}/repodata.json"))!;
        return [.. repodata["packages.conda"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];
    }
}
