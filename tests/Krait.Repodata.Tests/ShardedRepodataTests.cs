using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Networking;
using Krait.Repodata.Channels;
using Krait.Repodata.Query;
using Krait.Repodata.Remote;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>Sharded repodata (CEP-16) from zlib-formats' real shards, served over HTTP by a real server on 127.0.0.1.</summary>
public sealed class ShardedRepodataTests : IDisposable
{
    private readonly TempFolder scratch = new("shards");
    private readonly ChannelServer server = ChannelServer.Start(RepoPaths.Channels);
    private readonly HttpClient http = new();

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private RepodataFetcher Fetcher(FetchMode mode = FetchMode.Online) =>
        new(http, new RepodataCache(Path.Combine(scratch, "cache")), mode) { Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(10)) };

    private Channel ZlibFormats => Channel.Parse($"{server.Url}/zlib-formats");

    private static string Identity(PackageRecord r) => $"{r.FileName} {r.Version} {r.Build} {r.BuildNumber} {r.Sha256} {r.Md5} {r.Size} {string.Join(',', r.Depends)} {r.Url}";

    [Fact]
    public void Records_come_from_the_shards_of_the_names_reached_and_equal_the_full_repodata()
    {
        using var source = new ChannelPackageSource([ZlibFormats], "linux-64", Fetcher());
        var zlib = source.CandidatesOf("zlib");
        Assert.NotEmpty(zlib);

        var full = ChannelLoader.Load(Channel.Parse(RepoPaths.Channel("zlib-formats")), "linux-64", ["zlib"]).SelectMany(r => r.Records()).ToList();
        Assert.Equal(full.Select(r => Identity(r).Replace(new Uri(RepoPaths.Channels).AbsoluteUri.TrimEnd('/'), server.Url, StringComparison.Ordinal)).Order(StringComparer.Ordinal), zlib.Select(c => Identity(c.Record)).Order(StringComparer.Ordinal));

        var paths = server.Requests.Select(r => r.Path).ToList();
        Assert.Contains("/zlib-formats/linux-64/repodata_shards.msgpack.zst", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/zlib-formats/linux-64/repodata.json", StringComparison.Ordinal));

        // Reaching zlib brings the shards of what its records depend on too (and of what those depend on), fetched
        // together before the solver asks: on this channel, the shards of zlib and libgcc-ng, each once.
        var shardRequests = paths.Where(p => p.StartsWith("/zlib-formats/linux-64/", StringComparison.Ordinal) && p.EndsWith(".msgpack.zst", StringComparison.Ordinal) && !p.Contains("repodata_shards", StringComparison.Ordinal)).ToList();
        var dependencies = zlib.SelectMany(c => c.Record.Depends).Select(MatchSpec.NameOf).Where(n => !n.StartsWith("__", StringComparison.Ordinal)).Distinct().Count();
        Assert.InRange(shardRequests.Count, 2, 1 + dependencies);
        Assert.Equal(shardRequests.Count, shardRequests.Distinct().Count());
        var count = server.Requests.Count;
        Assert.NotEmpty(source.CandidatesOf("libgcc-ng"));
        Assert.Equal(count, server.Requests.Count);

        // A name the index lacks costs no request.
        Assert.Empty(source.CandidatesOf("numpy"));
        Assert.Equal(count, server.Requests.Count);

        // Offline, the cached index and shards are enough.
        using var offline = new ChannelPackageSource([ZlibFormats], "linux-64", Fetcher(FetchMode.CacheOnly));
        Assert.Equal(zlib.Count, offline.CandidatesOf("zlib").Count);
        Assert.Equal(count, server.Requests.Count);
    }

    [Fact]
    public void A_shard_that_does_not_match_its_hash_is_refused_and_not_cached()
    {
        var index = Directory.GetFiles(Path.Combine(RepoPaths.Channel("zlib-formats"), "linux-64"), "*.msgpack.zst").Where(f => !f.EndsWith("repodata_shards.msgpack.zst", StringComparison.Ordinal)).ToList();
        foreach (var shard in index)
        {
            server.Inject(Path.GetFileName(shard), Fault.Corrupt, times: 5);
        }

        using var source = new ChannelPackageSource([ZlibFormats], "linux-64", Fetcher());
        var error = Assert.Throws<RemoteChannelException>(() => source.CandidatesOf("zlib"));
        Assert.Contains("the shard index gives", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scratch, "cache", "shards")) && Directory.EnumerateFiles(Path.Combine(scratch, "cache", "shards")).Any());
    }
}
