using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Index.Tests;

/// <summary>A damaged or lying archive is reported by name and left out; the rest of the channel is indexed, and no file is half-written.</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly TempFolder channel = new TempFolder("index-hostile").Create();

    public void Dispose() => channel.Dispose();

    [Fact]
    public void BadArchivesAreSkippedWithTheirNameAndReason()
    {
        TestChannels.CopyArchives("zlib-formats", channel);
        var linux = channel.Combine("linux-64");

        // Truncated, flipped, not an archive at all, and one whose index.json names another package.
        var good = File.ReadAllBytes(Path.Combine(linux, "zlib-1.2.11-h7b6447c_3.conda"));
        File.WriteAllBytes(Path.Combine(linux, "cut-1.0-0.conda"), good[..(good.Length / 2)]);
        var bz2 = File.ReadAllBytes(Path.Combine(linux, "zlib-1.2.11-h7b6447c_3.tar.bz2"));
        bz2[bz2.Length / 2] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(linux, "flipped-1.0-0.tar.bz2"), bz2);
        File.WriteAllText(Path.Combine(linux, "text-1.0-0.conda"), "not a zip");
        File.Copy(Path.Combine(linux, "zlib-1.2.11-h7b6447c_3.conda"), Path.Combine(linux, "numpy-1.0-0.conda"));
        new PackageBuilder("wrongsubdir", "1.0", "0") { Subdir = "osx-64" }.WriteTo(linux);

        var report = ChannelIndexer.Index(channel);

        var skipped = report.Skipped.Where(s => s.Subdir == "linux-64").ToDictionary(s => s.FileName, s => s.Reason);
        Assert.Equal(["cut-1.0-0.conda", "flipped-1.0-0.tar.bz2", "numpy-1.0-0.conda", "text-1.0-0.conda", "wrongsubdir-1.0-0.conda"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("zlib", skipped["numpy-1.0-0.conda"], StringComparison.Ordinal);
        Assert.Contains("osx-64", skipped["wrongsubdir-1.0-0.conda"], StringComparison.Ordinal);
        Assert.All(skipped, s => Assert.Contains(s.Key, s.Value, StringComparison.Ordinal));

        var repodata = File.ReadAllText(Path.Combine(linux, "repodata.json"));
        Assert.Contains("zlib-1.2.11-h7b6447c_3.conda", repodata, StringComparison.Ordinal);
        foreach (var bad in skipped.Keys)
        {
            Assert.DoesNotContain(bad, repodata, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFiles(channel, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnEmptyFolderBecomesAValidChannelWithNoarch()
    {
        var report = ChannelIndexer.Index(channel);
        Assert.Equal(["noarch"], report.Subdirs.Select(s => s.Subdir));
        Assert.True(File.Exists(channel.Combine("noarch", "repodata.json")));
        Assert.True(File.Exists(channel.Combine("noarch", "repodata.json.zst")));
        Assert.True(File.Exists(channel.Combine("noarch", "repodata_shards.msgpack.zst")));
        Assert.True(File.Exists(channel.Combine("channeldata.json")));
    }

    [Fact]
    public void NoZstAndNoShardsRemoveWhatAnEarlierRunWrote()
    {
        ChannelIndexer.Index(channel);
        ChannelIndexer.Index(channel, new IndexOptions { Zstd = false, Shards = false });
        Assert.False(File.Exists(channel.Combine("noarch", "repodata.json.zst")));
        Assert.False(File.Exists(channel.Combine("noarch", "repodata_shards.msgpack.zst")));
    }
}
