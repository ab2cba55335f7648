using System.Text.Json.Nodes;
using Krait.TestSupport;

namespace Krait.Index.Tests;

/// <summary>
/// The records Krait's index writes for real packages equal, field for field, those the channels' own repodata
/// (written by conda-index and its predecessor in conda-build) gives for the same files.
/// </summary>
public sealed class ConformanceTests : IDisposable
{
    private readonly TempFolder channel = new TempFolder("index-conformance").Create();

    public void Dispose() => channel.Dispose();

    [Theory]
    [InlineData("zlib-formats")]
    [InlineData("conda-test-recipes")]
    public void RecordsEqualThoseOfTheChannelsOwnRepodata(string name)
    {
        TestChannels.CopyArchives(name, channel);
        var report = ChannelIndexer.Index(channel);
        Assert.Empty(report.Skipped);

        var compared = 0;
        foreach (var subdir in Directory.EnumerateDirectories(RepoPaths.Channel(name)).Select(Path.GetFileName))
        {
            var original = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Channel(name), subdir!, "repodata.json")))!;
            var ours = JsonNode.Parse(File.ReadAllText(channel.Combine(subdir!, "repodata.json")))!;
            Assert.Equal(subdir, (string?)ours["info"]!["subdir"]);
            Assert.Equal(1, (int)ours["repodata_version"]!);
            foreach (var section in new[] { "packages", "packages.conda" })
            {
                var expected = original[section]!.AsObject();
                var actual = ours[section]!.AsObject();
                // The channel's repodata may list records whose archives are not in the snapshot: every archive is compared.
                var archives = Directory.EnumerateFiles(channel.Combine(subdir!)).Select(Path.GetFileName).Where(f => f!.EndsWith(section == "packages" ? ".tar.bz2" : ".conda", StringComparison.Ordinal));
                Assert.Equal(archives.Order(StringComparer.Ordinal), actual.Select(p => p.Key).Order(StringComparer.Ordinal));
                foreach (var (fileName, actualNode) in actual)
                {
                    var actualRecord = actualNode!.AsObject();
                    Assert.True(expected.ContainsKey(fileName), $"{name}/{subdir}: the channel's repodata has no {fileName}");
                    var wanted = expected[fileName]!.AsObject().DeepClone().AsObject();
                    if (!actualRecord.ContainsKey("timestamp"))
                    {
                        wanted.Remove("timestamp"); // the archive has none: conda-index's came from elsewhere
                    }

                    Assert.True(JsonNode.DeepEquals(wanted, actualRecord), $"{name}/{subdir}/{fileName}:\nexpected {wanted.ToJsonString()}\nactual   {actualRecord.ToJsonString()}");
                    compared++;
                }
            }
        }

        Assert.True(compared >= 8, $"only {compared} records compared");
    }

    [Fact]
    public void ChannelDataNamesWhatAboutJsonSays()
    {
        TestChannels.CopyArchives("zlib-formats", channel);
        ChannelIndexer.Index(channel);
        var channelData = JsonNode.Parse(File.ReadAllText(channel.Combine("channeldata.json")))!;
        var zlib = channelData["packages"]!["zlib"]!;
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Channel("zlib-formats"), "channeldata.json")))!["packages"]!["zlib"]!;
        foreach (var field in new[] { "version", "home", "license", "summary", "description", "dev_url", "doc_url" })
        {
            Assert.True(JsonNode.DeepEquals(original[field], zlib[field]), $"{field}: expected {original[field]?.ToJsonString()}, got {zlib[field]?.ToJsonString()}");
        }

        Assert.Equal(["linux-64", "osx-64", "win-32", "win-64"], zlib["subdirs"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(1, (int)channelData["channeldata_version"]!);
        Assert.Contains("noarch", channelData["subdirs"]!.AsArray().Select(s => (string)s!));
    }
}
