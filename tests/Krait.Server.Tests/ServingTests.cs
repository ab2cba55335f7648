using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.TestSupport;
using ZstdSharp;

namespace Krait.Server.Tests;

/// <summary>
/// What conda, mamba and pixi rely on when they read a channel: files that exist are served with strong ETags,
/// 304 on revalidation, HEAD answering as GET would, Range on packages, the right caching; everything else is a real
/// 404 (mamba and pixi probe .zst and shards with HEAD and believe any 2xx).
/// </summary>
public sealed class ServingTests : IAsyncLifetime
{
    private RunningServer server = null!;

    private static string Recipe(string file) => Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", file);

    public async Task InitializeAsync()
    {
        server = RunningServer.Start();
        await server.CreateChannel("demo");
        foreach (var file in new[] { "versioned-1.0-0.conda", "versioned-2.0-0.conda", "dependency-1.0-0.conda" })
        {
            using var response = await server.Upload("demo", Recipe(file));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("demo/noarch/repodata.json", "application/json", "max-age=120")]
    [InlineData("demo/noarch/repodata.json.zst", "application/octet-stream", "max-age=120")]
    [InlineData("demo/noarch/repodata_shards.msgpack.zst", "application/octet-stream", "max-age=120")]
    [InlineData("demo/noarch/run_exports.json", "application/json", "max-age=120")]
    [InlineData("demo/channeldata.json", "application/json", "max-age=120")]
    [InlineData("demo/noarch/versioned-2.0-0.conda", "application/octet-stream", "immutable")]
    [InlineData("get/demo/noarch/versioned-2.0-0.conda", "application/octet-stream", "immutable")]
    public async Task Files_have_validators_caching_and_revalidate_with_304(string path, string contentType, string caching)
    {
        using var get = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(contentType, get.Content.Headers.ContentType!.MediaType);
        Assert.Contains(caching, get.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("public", get.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var etag = get.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.NotNull(get.Content.Headers.LastModified);
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, get.Content.Headers.ContentLength);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // HEAD answers exactly as GET: status and headers, no body.
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(etag, head.Headers.ETag);
        Assert.Equal(get.Headers.CacheControl!.ToString(), head.Headers.CacheControl!.ToString());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Packages_are_served_in_ranges_as_resumed_downloads_ask()
    {
        var whole = await File.ReadAllBytesAsync(Recipe("versioned-2.0-0.conda"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "demo/noarch/versioned-2.0-0.conda");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(whole[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(whole, await server.Client.GetByteArrayAsync("demo/noarch/versioned-2.0-0.conda"));
    }

    [Fact]
    public async Task The_zst_and_the_shards_hold_what_repodata_json_holds()
    {
        var json = await server.Client.GetByteArrayAsync("demo/noarch/repodata.json");
        using var decompressor = new Decompressor();
        Assert.Equal(json, decompressor.Unwrap(await server.Client.GetByteArrayAsync("demo/noarch/repodata.json.zst")).ToArray());

        var index = Krait.Repodata.Remote.ShardFormat.ReadIndex(decompressor.Unwrap(await server.Client.GetByteArrayAsync("demo/noarch/repodata_shards.msgpack.zst")).ToArray());
        Assert.Equal(["dependency", "versioned"], index.Shards.Keys.Order(StringComparer.Ordinal));
        var shard = await server.Client.GetByteArrayAsync($"demo/noarch/{index.Shards["versioned"]}.msgpack.zst");
        var records = Krait.Repodata.Remote.ShardFormat.ReadShard(decompressor.Unwrap(shard).ToArray(), new Krait.Repodata.Parsing.RecordOrigin("demo", server.Url + "/demo/noarch"), null, "noarch");
        Assert.Equal(["versioned-1.0-0.conda", "versioned-2.0-0.conda"], records.Select(r => r.FileName).Order(StringComparer.Ordinal));
        var listed = JsonNode.Parse(json)!["packages.conda"]!;
        Assert.All(records, r => Assert.Equal((string?)listed[r.FileName]!["sha256"], r.Sha256));
    }

    [Theory]
    [InlineData("demo/linux-64/repodata.json")]
    [InlineData("demo/linux-64/repodata.json.zst")]
    [InlineData("demo/noarch/current_repodata.json")]
    [InlineData("demo/noarch/versioned-3.0-0.conda")]
    [InlineData("demo/noarch/0000000000000000000000000000000000000000000000000000000000000000.msgpack.zst")]
    [InlineData("demo/noarch/../../server.json")]
    [InlineData("demo/noarch/%2e%2e%2fserver.json")]
    [InlineData("nochannel/noarch/repodata.json")]
    [InlineData("demo/label/dev/noarch/repodata.json")]
    [InlineData("demo/index.html")]
    [InlineData("")]
    [InlineData("api/nothing")]
    public async Task What_does_not_exist_is_a_404_for_get_and_head(string path)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await server.Client.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} /{path}: {response.StatusCode}");
            if (method == HttpMethod.Get)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(json.RootElement.TryGetProperty("detail", out _));
            }
        }
    }

    [Fact]
    public async Task A_label_has_its_own_index_and_main_is_the_default()
    {
        using (var dev = await server.Upload("demo", Recipe("dependency-2.0-0.conda"), label: "dev"))
        {
            Assert.Equal(HttpStatusCode.Created, dev.StatusCode);
        }

        var devRepodata = JsonNode.Parse(await server.Client.GetStringAsync("demo/label/dev/noarch/repodata.json"))!;
        Assert.Equal(["dependency-2.0-0.conda"], devRepodata["packages.conda"]!.AsObject().Select(p => p.Key));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("demo/label/dev/noarch/dependency-2.0-0.conda")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("demo/noarch/dependency-2.0-0.conda")).StatusCode);
        var main = JsonNode.Parse(await server.Client.GetStringAsync("demo/label/main/noarch/repodata.json"))!;
        Assert.DoesNotContain("dependency-2.0-0.conda", main["packages.conda"]!.AsObject().Select(p => p.Key));
        Assert.Equal(await server.Client.GetStringAsync("demo/noarch/repodata.json"), await server.Client.GetStringAsync("demo/label/main/noarch/repodata.json"));
    }

    [Fact]
    public async Task A_private_channel_does_not_exist_without_a_key_and_is_served_with_one_in_any_form()
    {
        await server.CreateChannel("secret", isPrivate: true);
        using (var upload = await server.Upload("secret", Recipe("versioned-2.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("secret/noarch/repodata.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("secret/noarch/versioned-2.0-0.conda")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("api/channels/secret")).StatusCode);
        Assert.DoesNotContain("secret", await server.Client.GetStringAsync("api/channels"), StringComparison.Ordinal);

        using var withToken = await server.Client.GetAsync($"t/{server.AdminKey}/secret/noarch/repodata.json");
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains("private", withToken.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"t/{server.AdminKey}/get/secret/noarch/versioned-2.0-0.conda")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("secret/noarch/repodata.json")).StatusCode);

        using var basic = new HttpRequestMessage(HttpMethod.Get, "secret/noarch/repodata.json");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"anyone:{server.AdminKey}")));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(basic)).StatusCode);

        using var wrong = await server.Client.GetAsync("t/krait_not-a-key/demo/noarch/repodata.json");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Health_metrics_and_me_answer()
    {
        Assert.Equal("ok\n", await server.Client.GetStringAsync("healthz"));
        await server.Client.GetByteArrayAsync("demo/noarch/versioned-2.0-0.conda");
        var metrics = await server.Client.GetStringAsync("metrics");
        Assert.Contains("krait_uploads_accepted_total 3", metrics, StringComparison.Ordinal);
        Assert.Matches(@"krait_files_served_total [1-9]", metrics);
        var me = JsonNode.Parse(await server.Admin.GetStringAsync("api/me"))!;
        Assert.Equal("admin", (string?)me["user"]!["username"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("api/me")).StatusCode);
    }
}
