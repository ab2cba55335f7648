using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Specs;
using Krait.Repodata.Query;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>The search cases recorded from micromamba 2.8.1 (../shared/conformance/search.jsonl): the exact files each spec matches.</summary>
public class SearchConformanceTests
{
    public static TheoryData<int, string, string, string> Cases()
    {
        var data = new TheoryData<int, string, string, string>();
        var line = 0;
        foreach (var text in File.ReadLines(Path.Combine(RepoPaths.Conformance, "search.jsonl")))
        {
            line++;
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            data.Add(line, root.GetProperty("channel").GetString()!, root.GetProperty("subdir").GetString()!, root.GetProperty("spec").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_exactly_the_recorded_files(int line, string channel, string subdir, string spec)
    {
        using var json = JsonDocument.Parse(File.ReadLines(Path.Combine(RepoPaths.Conformance, "search.jsonl")).ElementAt(line - 1));
        var expected = json.RootElement.GetProperty("expected_fns").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();
        var channels = channel.Split('+').Select(c => Channel.Parse(RepoPaths.Channel(c))).ToList();

        var found = PackageQuery.Search(MatchSpec.Parse(spec), channels, subdir);

        if (spec == "scipy[build_number=\">=1\"]")
        {
            // micromamba 2.8.1 ignores a relational build_number in brackets and lists all 30 scipy builds; conda
            // applies it (its own tests: numpy[build_number='<8'] matches build 7, '>7' does not). Krait follows
            // conda: exactly the recorded files whose build number is at least 1.
            expected = expected.Where(fn => fn.EndsWith("_3.tar.bz2", StringComparison.Ordinal)).ToList();
            Assert.Equal(6, expected.Count);
            Assert.All(found, r => Assert.True(r.BuildNumber >= 1));
        }

        Assert.Equal(expected, found.Select(r => r.FileName).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void Results_are_sorted_by_name_version_build_number_and_build()
    {
        var channels = new[] { Channel.Parse(RepoPaths.Channel("defaults-2017")) };
        var found = PackageQuery.Search(MatchSpec.Parse("numpy >=1.14,<1.15"), channels, "linux-64");
        Assert.NotEmpty(found);
        for (var i = 1; i < found.Count; i++)
        {
            var (a, b) = (found[i - 1], found[i]);
            var order = a.ParsedVersion.CompareTo(b.ParsedVersion);
            Assert.True(order < 0 || (order == 0 && (a.BuildNumber < b.BuildNumber || (a.BuildNumber == b.BuildNumber && string.CompareOrdinal(a.Build, b.Build) <= 0))), $"{a} before {b}");
        }

        Assert.All(found, r => Assert.StartsWith("file://", r.Url, StringComparison.Ordinal));
        Assert.All(found, r => Assert.EndsWith($"/linux-64/{r.FileName}", r.Url, StringComparison.Ordinal));
    }
}
