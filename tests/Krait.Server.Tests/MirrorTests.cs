using System.Net;
using System.Text.Json.Nodes;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>
/// One internal server in front of another (the enterprise need: a proxy of conda-forge): a proxy channel serves
/// the upstream's repodata and caches each package it is asked for, verified, also while the upstream is down; a
/// mirror channel copies the upstream's matching packages, with the upstream's records.
/// </summary>
public sealed class MirrorTests : IAsyncLifetime
{
    private readonly TempFolder scratch = new TempFolder("mirror").Create();
    private RunningServer upstream = null!;
    private RunningServer server = null!;

    private static IEnumerable<string> Recipes => Directory.EnumerateFiles(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch"), "*.conda").Order(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        upstream = RunningServer.Start();
        await upstream.CreateChannel("forge");
        foreach (var archive in Recipes)
        {
            using var response = await upstream.Upload("forge", archive);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        server = RunningServer.Start();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await upstream.DisposeAsync();
        scratch.Dispose();
    }

    [Fact]
    public async Task A_proxy_serves_the_upstream_and_keeps_serving_what_it_cached_when_the_upstream_is_down()
    {
        using (var created = await server.Admin.PostAsync("api/channels", RunningServer.Json($$"""{"name": "proxy", "mirror_channel_url": "{{upstream.Url}}/forge", "mirror_mode": "proxy"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var repodata = JsonNode.Parse(await server.Client.GetStringAsync("proxy/noarch/repodata.json"))!;
        var original = JsonNode.Parse(await upstream.Client.GetStringAsync("forge/noarch/repodata.json"))!;
        Assert.True(JsonNode.DeepEquals(original["packages.conda"], repodata["packages.conda"]));

        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs-1") };
        var first = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("env-1"), "-c", $"{server.Url}/proxy", "--override-channels", "another_dependent"], environment);
        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Contains(upstream.Log.Lines, l => l.StartsWith("GET /forge/noarch/dependent-2.0-0.conda 200", StringComparison.Ordinal));

        // A package is fetched from the upstream once; then served from the proxy's cache.
        var fetches = upstream.Log.Lines.Count(l => l.Contains(".conda 200", StringComparison.Ordinal));
        await upstream.DisposeAsync();
        var second = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("env-2"), "-c", $"{server.Url}/proxy", "--override-channels", "another_dependent"], new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs-2") });
        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.True(File.Exists(Path.Combine(scratch.Combine("env-2"), "conda-meta", "dependent-2.0-0.json")));
        Assert.Equal(fetches, upstream.Log.Lines.Count(l => l.Contains(".conda 200", StringComparison.Ordinal)));

        // What was never cached cannot come while the upstream is down: a clear 502, never a wrong file.
        using var missing = await server.Client.GetAsync("proxy/noarch/versioned-1.0-0.conda");
        Assert.Equal(HttpStatusCode.BadGateway, missing.StatusCode);
        Assert.Contains("cannot give", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var upload = await server.Upload("proxy", Recipes.First());
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
    }

    [Fact]
    public async Task A_mirror_copies_the_matching_packages_with_the_upstreams_records()
    {
        using (var created = await server.Admin.PostAsync("api/channels", RunningServer.Json($$"""{"name": "mirror", "mirror_channel_url": "{{upstream.Url}}/forge", "mirror_mode": "mirror", "mirror_filter": ["versioned", "dependency >=2"]}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var sync = await server.Admin.PutAsync("api/channels/mirror/actions", RunningServer.Json("""{"action": "synchronize_repodata"}"""));
        var report = JsonNode.Parse(await sync.Content.ReadAsStringAsync())!;
        Assert.True(sync.StatusCode == HttpStatusCode.OK, report.ToJsonString());
        Assert.Equal(3, (int)report["added"]!);
        Assert.Empty(report["refused"]!.AsArray());

        var mirrored = JsonNode.Parse(await server.Client.GetStringAsync("mirror/noarch/repodata.json"))!["packages.conda"]!.AsObject();
        Assert.Equal(["dependency-2.0-0.conda", "versioned-1.0-0.conda", "versioned-2.0-0.conda"], mirrored.Select(p => p.Key).Order(StringComparer.Ordinal));
        var original = JsonNode.Parse(await upstream.Client.GetStringAsync("forge/noarch/repodata.json"))!["packages.conda"]!;
        Assert.All(mirrored, p => Assert.True(JsonNode.DeepEquals(original[p.Key], p.Value), p.Key));

        // Again: nothing new to copy; a file gone upstream leaves the mirror.
        using (var deleted = await upstream.Admin.DeleteAsync("api/channels/forge/packages/versioned/versions/noarch/versioned-1.0-0.conda"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var again = await server.Admin.PutAsync("api/channels/mirror/actions", RunningServer.Json("""{"action": "synchronize_repodata"}"""));
        var second = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal((0, 1, 2), ((int)second["added"]!, (int)second["removed"]!, (int)second["kept"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("mirror/noarch/versioned-1.0-0.conda")).StatusCode);
    }

    [Fact]
    public async Task A_proxy_refuses_a_hostile_package_its_upstream_lists_with_the_right_sha256()
    {
        using var workspace = new HostileWorkspace();
        workspace.Publish("healthy", "1.0", "0", [ArchiveEntry.File("share/healthy.txt", "ok")]);
        workspace.Publish("escape", "1.0", "0", [ArchiveEntry.File("../../outside/escaped.txt", "pwned")]);
        workspace.WriteRepodata();
        await using var hostile = ChannelServer.Start(workspace.Channel);
        using (var created = await server.Admin.PostAsync("api/channels", RunningServer.Json($$"""{"name": "proxied", "mirror_channel_url": "{{hostile.Url}}", "mirror_mode": "proxy"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var healthy = await server.Client.GetAsync("proxied/noarch/healthy-1.0-0.conda"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        using var escape = await server.Client.GetAsync("proxied/noarch/escape-1.0-0.conda");
        Assert.Equal(HttpStatusCode.BadGateway, escape.StatusCode);
        Assert.Contains("was refused", await escape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(server.HomePath, "escaped.txt", SearchOption.AllDirectories));
        Assert.Equal(HttpStatusCode.BadGateway, (await server.Client.GetAsync("proxied/noarch/escape-1.0-0.conda")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "m1", "mirror_channel_url": "ftp://example.org/x"}""", "not an http(s) channel URL")]
    [InlineData("""{"name": "m2", "mirror_channel_url": "http://127.0.0.1:9/x", "mirror_mode": "copy"}""", "neither 'proxy' nor 'mirror'")]
    [InlineData("""{"name": "m3", "mirror_channel_url": "http://127.0.0.1:9/x", "mirror_mode": "mirror", "mirror_filter": ["numpy >=>1"]}""", "not a MatchSpec")]
    public async Task Bad_mirror_settings_are_refused_with_the_reason(string body, string reason)
    {
        using var response = await server.Admin.PostAsync("api/channels", RunningServer.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
