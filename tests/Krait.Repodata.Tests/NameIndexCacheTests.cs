using Krait.Conda.Records;
using Krait.Repodata.Parsing;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>The name index kept between commands: used only for the very file it was made from, and never trusted blindly.</summary>
public sealed class NameIndexCacheTests : IDisposable
{
    private readonly TempFolder scratch = new("names");

    public void Dispose() => scratch.Dispose();

    private string Copy(string channel)
    {
        var path = Path.Combine(scratch, channel, "repodata.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Path.Combine(RepoPaths.Channel(channel), "linux-64", "repodata.json"), path);
        return path;
    }

    /// <summary>Every record of the file, name by name, through the index (cached or not).</summary>
    private static (bool Cached, bool FellBack, List<string> Records) Read(string path, string cache)
    {
        using var lazy = LazyRepodata.Open(path);
        lazy.BuildNameIndex(cache);
        var records = NamesOf(path).SelectMany(lazy.RecordsOf).Select(Describe).ToList();
        return (lazy.NameIndexWasCached, lazy.FellBackToFullParse, records);
    }

    private static List<string> Uncached(string path)
    {
        using var lazy = LazyRepodata.Open(path);
        return [.. NamesOf(path).SelectMany(lazy.RecordsOf).Select(Describe)];
    }

    private static IEnumerable<string> NamesOf(string path) =>
        RepodataParser.ParseFile(path).Records().Select(r => r.Name).Concat(["no-such-package-anywhere"]).Distinct().Order(StringComparer.Ordinal);

    private static string Describe(PackageRecord r) => $"{r.FileName} {r.Sha256}";

    [Fact]
    public void The_second_open_of_an_unchanged_file_reads_the_index_instead_of_scanning()
    {
        var path = Copy("conda-forge-subset");
        var cache = Path.Combine(scratch, "cache", "subset.names");
        var first = Read(path, cache);
        Assert.False(first.Cached);
        Assert.True(File.Exists(cache));
        var second = Read(path, cache);
        Assert.True(second.Cached);
        Assert.False(second.FellBack);
        Assert.Equal(Uncached(path), second.Records);
        Assert.NotEmpty(second.Records);
    }

    [Fact]
    public void A_file_replaced_by_another_is_scanned_again()
    {
        var path = Copy("conda-forge-subset");
        var cache = Path.Combine(scratch, "cache", "replaced.names");
        Read(path, cache);
        File.Copy(Path.Combine(RepoPaths.Channel("defaults-2017"), "linux-64", "repodata.json"), path, overwrite: true);
        var after = Read(path, cache);
        Assert.False(after.Cached);
        Assert.Equal(Uncached(path), after.Records);
        Assert.True(Read(path, cache).Cached);
    }

    [Fact]
    public void A_damaged_or_foreign_index_is_ignored_and_rewritten()
    {
        var path = Copy("conda-forge-subset");
        var other = Copy("defaults-2017");
        var cache = Path.Combine(scratch, "cache", "damaged.names");
        Read(path, cache);
        var good = File.ReadAllBytes(cache);
        var random = new Random(5);
        var garbage = new byte[good.Length];
        random.NextBytes(garbage);
        foreach (var bad in new[] { garbage, good[..(good.Length / 2)], [] })
        {
            File.WriteAllBytes(cache, bad);
            var read = Read(path, cache);
            Assert.False(read.Cached);
            Assert.Equal(Uncached(path), read.Records);
        }

        // Well formed, but one position off by one: the record there is not found where the index says, and the
        // reader parses the whole file rather than answer from a wrong index.
        var lying = (byte[])good.Clone();
        lying[^4] ^= 0x01;
        File.WriteAllBytes(cache, lying);
        var misled = Read(path, cache);
        Assert.True(misled.Cached);
        Assert.True(misled.FellBack);
        Assert.Equal(Uncached(path), misled.Records);

        // The index of one file, under the name of another.
        Read(other, cache);
        var foreign = Read(path, cache);
        Assert.False(foreign.Cached);
        Assert.Equal(Uncached(path), foreign.Records);
    }
}
