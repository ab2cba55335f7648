using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary><c>krait index</c> makes a folder of real packages a channel that <c>krait create</c> installs from.</summary>
public sealed class IndexCommandTests : IDisposable
{
    private readonly TempFolder work = new TempFolder("index-cli").Create();

    public void Dispose() => work.Dispose();

    [Fact]
    public void An_indexed_folder_is_a_channel_krait_installs_from()
    {
        var channel = work.Combine("channel");
        Directory.CreateDirectory(Path.Combine(channel, "noarch"));
        foreach (var archive in Directory.EnumerateFiles(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch"), "*.conda"))
        {
            File.Copy(archive, Path.Combine(channel, "noarch", Path.GetFileName(archive)));
        }

        var index = KraitProcess.Run(["index", channel, "--json"]);
        Assert.True(index.ExitCode == 0, index.StandardError);
        using (var report = JsonDocument.Parse(index.StandardOutput))
        {
            Assert.Equal(32, report.RootElement.GetProperty("subdirs").GetProperty("noarch").GetProperty("records").GetInt32());
        }

        var prefix = work.Combine("env");
        var create = KraitProcess.Run(["create", "-y", "-p", prefix, "-c", channel, "--override-channels", "dependent=2"]);
        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json")));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(prefix, "conda-meta"), "dependency-2.0-0.json"));
    }

    [Fact]
    public void A_damaged_archive_is_named_and_the_exit_code_says_so()
    {
        var channel = work.Combine("channel");
        Directory.CreateDirectory(Path.Combine(channel, "linux-64"));
        File.WriteAllText(Path.Combine(channel, "linux-64", "broken-1.0-0.conda"), "not a package");

        var index = KraitProcess.Run(["index", channel]);
        Assert.Equal(1, index.ExitCode);
        Assert.Contains("skipped linux-64/broken-1.0-0.conda", index.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(channel, "linux-64", "repodata.json")));
        Assert.True(File.Exists(Path.Combine(channel, "noarch", "repodata.json")));
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_an_error_not_a_new_channel()
    {
        var index = KraitProcess.Run(["index", work.Combine("missing")]);
        Assert.Equal(1, index.ExitCode);
        Assert.Contains("is not a folder", index.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.Combine("missing")));
    }
}
