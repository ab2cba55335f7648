using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Index.Tests;

/// <summary>A second run reads only what changed, rewrites only touched shards, and keeps old shards for clients that still hold the old index.</summary>
public sealed class IncrementalTests : IDisposable
{
    private readonly TempFolder channel = new TempFolder("index-incremental").Create();

    public void Dispose() => channel.Dispose();

    [Fact]
    public void OnlyNewOrChangedArchivesAreReadAndOnlyTheirShardsWritten()
    {
        TestChannels.CopyArchives("conda-test-recipes", channel);
        var first = ChannelIndexer.Index(channel).Subdirs.Single(s => s.Subdir == "noarch");
        Assert.Equal(32, first.Read);
        Assert.True(first.ShardsWritten > 20);

        var second = ChannelIndexer.Index(channel).Subdirs.Single(s => s.Subdir == "noarch");
        Assert.Equal((0, 32, 0), (second.Read, second.Reused, second.ShardsWritten));

        var shardIndexBefore = ShardReading.Index(channel.Combine("noarch"));
        new PackageBuilder("dependent", "3.0", "0") { Depends = { "dependency" }, Timestamp = 1_790_000_000_000 }.WriteTo(channel.Combine("noarch"));
        var third = ChannelIndexer.Index(channel).Subdirs.Single(s => s.Subdir == "noarch");
        Assert.Equal((1, 32, 1, 33), (third.Read, third.Reused, third.ShardsWritten, third.Records));

        var shardIndexAfter = ShardReading.Index(channel.Combine("noarch"));
        Assert.NotEqual(shardIndexBefore.Shards["dependent"], shardIndexAfter.Shards["dependent"]);
        Assert.Equal(shardIndexBefore.Shards["versioned"], shardIndexAfter.Shards["versioned"]);
        Assert.Contains(ShardReading.Records(channel.Combine("noarch"), "dependent"), r => r.Version == "3.0");

        // The superseded shard stays for a week, for clients that fetched the old index a moment ago.
        Assert.True(File.Exists(channel.Combine("noarch", shardIndexBefore.Shards["dependent"] + ".msgpack.zst")));
        ChannelIndexer.Index(channel, new IndexOptions { StaleShardLifetime = TimeSpan.Zero });
        Assert.False(File.Exists(channel.Combine("noarch", shardIndexBefore.Shards["dependent"] + ".msgpack.zst")));
    }

    [Fact]
    public void ADeletedArchiveLeavesTheIndex()
    {
        TestChannels.CopyArchives("conda-test-recipes", channel);
        ChannelIndexer.Index(channel);
        File.Delete(channel.Combine("noarch", "versioned-2.0-0.conda"));
        var report = ChannelIndexer.Index(channel).Subdirs.Single(s => s.Subdir == "noarch");
        Assert.Equal((0, 1, 31), (report.Read, report.Removed, report.Records));
        Assert.DoesNotContain("versioned-2.0-0.conda", File.ReadAllText(channel.Combine("noarch", "repodata.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(ShardReading.Records(channel.Combine("noarch"), "versioned"), r => r.Version == "2.0");
    }

    [Fact]
    public void ADamagedCacheIsIgnoredNotTrusted()
    {
        TestChannels.CopyArchives("conda-test-recipes", channel);
        ChannelIndexer.Index(channel);
        File.WriteAllBytes(channel.Combine(".cache", "noarch.msgpack"), [0x93, 0x01, 0xc0]);
        var report = ChannelIndexer.Index(channel).Subdirs.Single(s => s.Subdir == "noarch");
        Assert.Equal(32, report.Read);
    }
}
