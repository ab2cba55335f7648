using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Krait.Server.Tests.ScaleOut;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>
/// Usage metering: each completed package download is counted once (not HEAD, not 304, not a range that does not
/// complete the file), by client and who, and counts from several instances add up in one database.
/// </summary>
[Collection(ScaleOutGroup.Name)]
public sealed class MeteringTests(ScaleOutServices services)
{
    private static readonly string Archive = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "versioned-2.0-0.conda");

    [Fact]
    public async Task A_download_is_counted_once_when_it_completes()
    {
        await using var server = RunningServer.Start();
        await server.CreateChannel("demo");
        using (var uploaded = await server.Upload("demo", Archive))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        const string Path = "demo/noarch/versioned-2.0-0.conda";
        string? tag;
        using (var conda = Request(HttpMethod.Get, Path, "conda/24.11.0 requests/2.32.3 CPython/3.12.7"))
        using (var response = await server.Client.SendAsync(conda))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            tag = response.Headers.ETag!.Tag;
        }

        await Send(server.Admin, Request(HttpMethod.Get, Path, "micromamba/2.8.1"), HttpStatusCode.OK);
        await Send(server.Client, Request(HttpMethod.Head, Path, "pixi/0.40.0"), HttpStatusCode.OK);
        var firstBytes = Request(HttpMethod.Get, Path, "pixi/0.40.0");
        firstBytes.Headers.Range = new RangeHeaderValue(0, 9);
        await Send(server.Client, firstBytes, HttpStatusCode.PartialContent);
        var rest = Request(HttpMethod.Get, Path, "pixi/0.40.0");
        rest.Headers.Range = new RangeHeaderValue(10, null);
        await Send(server.Client, rest, HttpStatusCode.PartialContent);
        var revalidate = Request(HttpMethod.Get, Path, "conda/24.11.0");
        revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(tag));
        await Send(server.Client, revalidate, HttpStatusCode.NotModified);
        await Send(server.Client, Request(HttpMethod.Get, "demo/noarch/repodata.json", "conda/24.11.0"), HttpStatusCode.OK);

        var counted = await Counted(server, 3);
        Assert.Equal(3, (long)counted["total"]!);
        Assert.Equal("""{"conda":1,"mamba":1,"pixi":1}""", counted["clients"]!.ToJsonString());
        Assert.Equal("""[{"version":"2.0","build":"0","subdir":"noarch","downloads":3}]""", counted["versions"]!.ToJsonString());
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var daily = JsonNode.Parse(await server.Client.GetStringAsync("api/channels/demo/packages/versioned/downloads?period=D"))!;
        Assert.Equal($$"""[{"period":"{{today}}","downloads":3}]""", daily["periods"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("api/channels/demo/packages/versioned/downloads?from=yesterday")).StatusCode);
    }

    [Fact]
    public async Task Ten_thousand_downloads_through_two_instances_are_counted_exactly()
    {
        var settings = services.SharedRepository();
        await using var first = RunningServer.Start(settings);
        await using var second = RunningServer.Start(settings, first.AdminKey);
        await first.CreateChannel("demo");
        using (var uploaded = await first.Upload("demo", Archive))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        // From an object store a download is its redirect (the bytes then come from the store): counted when handed out.
        using var toFirst = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(first.Url + "/") };
        using var toSecond = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(second.Url + "/") };
        const int Downloads = 10_000;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < Downloads)
            {
                var client = next % 2 == 0 ? toFirst : toSecond;
                using var request = Request(HttpMethod.Get, "demo/noarch/versioned-2.0-0.conda", "pixi/0.40.0");
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }
        }));

        var counted = await Counted(first, Downloads);
        Assert.Equal(Downloads, (long)counted["total"]!);
        Assert.Equal($$"""{"pixi":{{Downloads}}}""", counted["clients"]!.ToJsonString());
    }

    [Fact]
    public async Task Channeldata_shows_each_package_s_downloads_so_far()
    {
        await using var server = RunningServer.Start(home =>
            (Home.ServerSettings.Load(home) with { ChannelDataDownloadsIntervalSeconds = 1 }).Save(home));
        await server.CreateChannel("demo");
        using (var uploaded = await server.Upload("demo", Archive))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        Assert.Null(JsonNode.Parse(await server.Client.GetStringAsync("demo/channeldata.json"))!["packages"]!["versioned"]!["downloads"]);
        for (var i = 0; i < 3; i++)
        {
            await Send(server.Client, Request(HttpMethod.Get, "demo/noarch/versioned-2.0-0.conda", "pixi/0.40.0"), HttpStatusCode.OK);
        }

        // Written again in the background once the counts are stored, without any upload.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long? shown = null;
        while (shown != 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            shown = (long?)JsonNode.Parse(await server.Client.GetStringAsync("demo/channeldata.json"))!["packages"]!["versioned"]!["downloads"];
        }

        Assert.Equal(3, shown);

        // A publication writes the figures too.
        using (var uploaded = await server.Upload("demo", Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "versioned-1.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        Assert.Equal(3, (long?)JsonNode.Parse(await server.Client.GetStringAsync("demo/channeldata.json"))!["packages"]!["versioned"]!["downloads"]);
    }

    /// <summary>The downloads answer once the meters have flushed <paramref name="expected"/> downloads, and a flush later (nothing counted twice).</summary>
    private static async Task<JsonNode> Counted(RunningServer server, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var counted = JsonNode.Parse(await server.Client.GetStringAsync("api/channels/demo/packages/versioned/downloads"))!;
            if ((long)counted["total"]! >= expected || DateTime.UtcNow > deadline)
            {
                await Task.Delay(Metering.DownloadMeter.FlushInterval * 2);
                return JsonNode.Parse(await server.Client.GetStringAsync("api/channels/demo/packages/versioned/downloads"))!;
            }

            await Task.Delay(200);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string userAgent)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return request;
    }

    private static async Task Send(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(expected, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
        }
    }
}
