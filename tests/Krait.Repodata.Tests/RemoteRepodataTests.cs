using Krait.Conda.Channels;
using Krait.Networking;
using Krait.Repodata.Channels;
using Krait.Repodata.Remote;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>Repodata over HTTP, against a real server on 127.0.0.1 serving the shared channels, with faults.</summary>
public sealed class RemoteRepodataTests : IDisposable
{
    private static readonly RetryPolicy Quick = new(4, TimeSpan.FromMilliseconds(10));
    private readonly TempFolder scratch = new("remote");
    private readonly ChannelServer server = ChannelServer.Start(RepoPaths.Channels);
    private readonly HttpClient http = new();

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        scratch.Dispose();
    }

    private RepodataFetcher Fetcher(FetchMode mode = FetchMode.Online) => new(http, new RepodataCache(Path.Combine(scratch, "cache")), mode) { Retry = Quick };

    private Channel TestRecipes(string? token = null) =>
        Channel.Parse(token is null ? $"{server.Url}/conda-test-recipes" : $"{server.Url.Replace("://", "://", StringComparison.Ordinal)}/t/{token}/conda-test-recipes");

    private string[] Paths() => [.. server.Requests.Select(r => r.Path)];

    [Fact]
    public void Prefers_zst_and_then_asks_only_whether_the_copy_changed()
    {
        var path = Fetcher().Fetch(TestRecipes(), "noarch")!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "repodata.json")), File.ReadAllBytes(path));
        Assert.Equal(["/conda-test-recipes/noarch/repodata.json.zst"], Paths());

        Assert.Equal(path, Fetcher().Fetch(TestRecipes(), "noarch"));
        var second = server.Requests.Last();
        Assert.True(second.Conditional);
        Assert.Equal(304, second.Status);

        // Records loaded through the cache carry the channel's HTTP URLs.
        var records = ChannelLoader.Load(TestRecipes(), "linux-64", ["dependency"], Fetcher()).SelectMany(r => r.Records()).ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.StartsWith($"{server.Url}/conda-test-recipes/noarch/dependency-", r.Url!, StringComparison.Ordinal));
    }

    [Fact]
    public void Falls_back_to_plain_json_and_remembers_it()
    {
        server.ServeZst = false;
        Assert.NotNull(Fetcher().Fetch(TestRecipes(), "noarch"));
        Assert.Equal(["/conda-test-recipes/noarch/repodata.json.zst", "/conda-test-recipes/noarch/repodata.json"], Paths());
        Fetcher().Fetch(TestRecipes(), "noarch");
        Assert.Equal("/conda-test-recipes/noarch/repodata.json", server.Requests.Last().Path);

        // A subdir the channel does not have is no error: it is empty, as conda treats it.
        Assert.Null(Fetcher().Fetch(TestRecipes(), "linux-aarch64"));
    }

    [Fact]
    public void A_fresh_copy_by_cache_control_needs_no_request_and_offline_needs_the_cache()
    {
        server.MaxAge = TimeSpan.FromMinutes(10);
        Fetcher().Fetch(TestRecipes(), "noarch");
        var count = server.Requests.Count;
        Fetcher().Fetch(TestRecipes(), "noarch");
        Assert.Equal(count, server.Requests.Count);

        Assert.NotNull(Fetcher(FetchMode.CacheOnly).Fetch(TestRecipes(), "noarch"));
        var offline = Assert.Throws<RemoteChannelException>(() => Fetcher(FetchMode.CacheOnly).Fetch(TestRecipes(), "linux-fake"));
        Assert.Contains("not in the cache (offline)", offline.Message, StringComparison.Ordinal);
        Assert.Equal(count, server.Requests.Count);
    }

    [Fact]
    public void Server_errors_and_cut_bodies_are_retried_and_never_reach_the_cache()
    {
        server.Inject("noarch/repodata.json.zst", Fault.ServerError, times: 2);
        server.Inject("noarch/repodata.json.zst", Fault.Truncate);
        var path = Fetcher().Fetch(TestRecipes(), "noarch")!;
        Assert.Equal(4, server.Requests.Count);
        var good = File.ReadAllBytes(path);

        // Always broken: a clear error, and the copy already cached stays whole.
        server.MaxAge = null;
        server.ServeZst = true;
        File.Delete(Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".state.json"));
        server.Inject("noarch/repodata.json.zst", Fault.Truncate, times: 10);
        var error = Assert.Throws<RemoteChannelException>(() => Fetcher().Fetch(TestRecipes(), "noarch"));
        Assert.Contains("failed 4 times", error.Message, StringComparison.Ordinal);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(path)!), f => f.Contains(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_channel_answers_only_with_its_token_and_the_token_is_never_shown()
    {
        server.RequiredToken = "s3cr3t-token";
        var denied = Assert.Throws<RemoteChannelException>(() => Fetcher().Fetch(TestRecipes(), "noarch"));
        Assert.Contains("401", denied.Message, StringComparison.Ordinal);
        Assert.NotNull(denied.Hint);

        var wrong = Assert.Throws<RemoteChannelException>(() => Fetcher().Fetch(TestRecipes("wrong-token"), "noarch"));
        Assert.DoesNotContain("wrong-token", wrong.Message, StringComparison.Ordinal);

        var path = Fetcher().Fetch(TestRecipes("s3cr3t-token"), "noarch")!;
        Assert.True(File.Exists(path));
        foreach (var file in Directory.GetFiles(Path.Combine(scratch, "cache")))
        {
            Assert.DoesNotContain("s3cr3t-token", File.ReadAllText(file), StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t-token", file, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_server_too_slow_to_answer_in_time_is_retried()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        server.Inject("noarch/repodata.json.zst", Fault.Slow);
        var fetcher = new RepodataFetcher(impatient, new RepodataCache(Path.Combine(scratch, "cache")), FetchMode.Online) { Retry = Quick };
        Assert.NotNull(fetcher.Fetch(TestRecipes(), "noarch"));

        // The slow answer is logged once the server gives up on it, after the retry has already succeeded.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.Requests.Count(r => r.Path == "/conda-test-recipes/noarch/repodata.json.zst") < 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.Equal(2, server.Requests.Count(r => r.Path == "/conda-test-recipes/noarch/repodata.json.zst"));
    }
}
