using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary><c>krait config</c> on a real file (named by <c>CONDARC</c>, as conda reads it), read back by every other command.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("config").Create();
    private readonly Dictionary<string, string> environment;

    public ConfigCommandTests() => environment = new() { ["CONDARC"] = scratch.Combine("condarc") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Changes_land_in_the_file_keep_its_comments_and_are_what_krait_then_reads()
    {
        File.WriteAllText(scratch.Combine("condarc"), "# mine\nchannel_priority: flexible   # why: bioconda\n");
        Krait("config", "--add", "channels", "conda-forge");
        Krait("config", "--prepend", "channels", "bioconda");
        Krait("config", "--append", "channels", "local");
        Krait("config", "--set", "channel_priority", "strict");
        Krait("config", "--set", "add_pip_as_python_dependency", "no");
        var moved = Krait("config", "--add", "channels", "local");
        Assert.Contains("'local' already in 'channels' list, moving to the top", moved.StandardError, StringComparison.Ordinal);
        Krait("config", "--remove", "channels", "defaults");

        Assert.Equal(
            "# mine\nchannel_priority: strict   # why: bioconda\nchannels:\n  - local\n  - bioconda\n  - conda-forge\nadd_pip_as_python_dependency: false\n",
            File.ReadAllText(scratch.Combine("condarc")));
        Assert.Equal(
            ["--set channel_priority strict", "--add channels 'conda-forge'   # lowest priority", "--add channels 'bioconda'", "--add channels 'local'   # highest priority", "--set add_pip_as_python_dependency False"],
            Krait("config", "--get").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        using var shown = JsonDocument.Parse(Krait("config", "--show", "channels", "channel_priority", "add_pip_as_python_dependency", "--json").StandardOutput);
        Assert.Equal(["local", "bioconda", "conda-forge"], shown.RootElement.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("strict", shown.RootElement.GetProperty("channel_priority").GetString());
        Assert.False(shown.RootElement.GetProperty("add_pip_as_python_dependency").GetBoolean());

        var sources = Krait("config", "--show-sources").StandardOutput;
        Assert.Contains($"==> {scratch.Combine("condarc")} <==\nchannel_priority: strict\nchannels:\n  - local\n", sources, StringComparison.Ordinal);

        Krait("config", "--remove-key", "channels");
        Assert.DoesNotContain("channels", File.ReadAllText(scratch.Combine("condarc")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_channel_added_brings_defaults_after_it_as_conda_does()
    {
        Krait("config", "--add", "channels", "conda-forge");
        Assert.Equal("channels:\n  - conda-forge\n  - defaults\n", File.ReadAllText(scratch.Combine("condarc")));
        Krait("config", "--file", scratch.Combine("other.yml"), "--append", "channels", "conda-forge");
        Assert.Equal("channels:\n  - conda-forge\n", File.ReadAllText(scratch.Combine("other.yml")));
    }

    [Theory]
    [InlineData(new[] { "config", "--set", "channel_priority", "loose" }, "one of strict, flexible, disabled")]
    [InlineData(new[] { "config", "--set", "chanel_priority", "strict" }, "not a configuration parameter")]
    [InlineData(new[] { "config", "--set", "channels", "x" }, "is a list")]
    [InlineData(new[] { "config", "--remove", "channels", "nope" }, "'nope' is not in the 'channels' key")]
    [InlineData(new[] { "config", "--remove-key", "ssl_verify" }, "key not in")]
    [InlineData(new[] { "config", "--env", "--set", "changeps1", "false" }, "no environment is active")]
    [InlineData(new[] { "config" }, "nothing to do")]
    [InlineData(new[] { "config", "--get", "--show" }, "one thing at a time")]
    public void A_wrong_change_is_refused_with_why_and_the_file_is_untouched(string[] arguments, string expected)
    {
        const string before = "channels:\n  - conda-forge\n";
        File.WriteAllText(scratch.Combine("condarc"), before);
        var refused = KraitProcess.Run(arguments, environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(expected, refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(scratch.Combine("condarc")));
    }

    [Fact]
    public void A_malformed_file_is_named_and_left_as_it_is()
    {
        File.WriteAllText(scratch.Combine("condarc"), "channels: [a\n");
        var refused = KraitProcess.Run(["config", "--add", "channels", "b"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(scratch.Combine("condarc"), refused.StandardError, StringComparison.Ordinal);
        Assert.Equal("channels: [a\n", File.ReadAllText(scratch.Combine("condarc")));
    }

    private KraitResult Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }
}
