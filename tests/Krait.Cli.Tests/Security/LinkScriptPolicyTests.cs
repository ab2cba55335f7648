using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests.Security;

/// <summary>
/// Link scripts are a package's own code run as the user: conda always runs them, pixi only when asked. Krait runs
/// them by default, says which packages carry them, can skip them (<c>--no-scripts</c>) or refuse them
/// (<c>link_scripts: refuse</c>), and stops one that runs too long, rolling the transaction back. And the files of
/// a package must match its <c>info/paths.json</c> (<c>safety_checks</c>).
/// </summary>
public sealed class LinkScriptPolicyTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private KraitResult Krait(IReadOnlyDictionary<string, string>? settings, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = workspace.Pkgs };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return KraitProcess.Run(arguments, environment);
    }

    private string[] Create(params string[] specs) => ["create", "-y", "-p", workspace.Prefix, "-c", workspace.Channel, "--override-channels", "--platform", "linux-64", .. specs];

    private string Marker => Path.Combine(workspace.Root, "script-ran");

    private void PublishScripted(string body)
    {
        workspace.Publish("scripted", "1.0", "0",
        [
            ArchiveEntry.File("share/scripted.txt", "payload"),
            ArchiveEntry.File("bin/.scripted-post-link.sh", body),
        ]);
        workspace.WriteRepodata();
    }

    [Fact]
    public void Scripts_run_by_default_and_the_packages_that_carry_them_are_named()
    {
        PublishScripted($"echo ran > '{Marker}'\n");

        var create = Krait(null, Create("scripted"));

        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.True(File.Exists(Marker));
        Assert.Contains("link scripts (run as you", create.StandardError, StringComparison.Ordinal);
        Assert.Contains("scripted-1.0-0 (post-link)", create.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void No_scripts_installs_without_running_them_and_says_so()
    {
        PublishScripted($"echo ran > '{Marker}'\n");

        var create = Krait(null, Create("--no-scripts", "scripted"));

        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.False(File.Exists(Marker));
        Assert.True(File.Exists(Path.Combine(workspace.Prefix, "share", "scripted.txt")));
        Assert.Contains("link scripts not run", create.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_security_policy_refuses_scripts_before_anything_changes()
    {
        PublishScripted($"echo ran > '{Marker}'\n");

        var create = Krait(new Dictionary<string, string> { ["KRAIT_LINK_SCRIPTS"] = "refuse" }, Create("scripted"));

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("link_scripts: refuse", create.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker));
        Assert.False(Directory.Exists(workspace.Prefix));
    }

    [Fact]
    public void A_script_that_runs_too_long_is_stopped_and_the_transaction_rolled_back()
    {
        PublishScripted("sleep 60\n");

        var create = Krait(new Dictionary<string, string> { ["KRAIT_LINK_SCRIPT_TIMEOUT"] = "1" }, Create("scripted"));

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("still running after 1 s and was stopped", create.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Prefix));
    }

    [Fact]
    public void A_bad_setting_is_an_error_naming_it()
    {
        PublishScripted("true\n");

        var create = Krait(new Dictionary<string, string> { ["KRAIT_LINK_SCRIPTS"] = "maybe" }, Create("scripted"));

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("link_scripts 'maybe' is not one of run, skip, refuse", create.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0, "SafetyWarning")]
    [InlineData("warn", 0, "SafetyWarning")]
    [InlineData("enabled", 1, "safety_checks: enabled")]
    [InlineData("disabled", 0, null)]
    public void Files_that_differ_from_paths_json_follow_safety_checks(string? mode, int exitCode, string? said)
    {
        // paths.json is written again after the payload's own: it claims another content for the file.
        var lie = """{"paths": [{"_path": "share/file.txt", "path_type": "hardlink", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size_in_bytes": 7}], "paths_version": 1}""";
        workspace.Publish("liar", "1.0", "0", [ArchiveEntry.File("share/file.txt", "content")], extraInfo: [ArchiveEntry.File("info/paths.json", lie)]);
        workspace.WriteRepodata();
        var settings = mode is null ? null : new Dictionary<string, string> { ["KRAIT_SAFETY_CHECKS"] = mode };

        var create = Krait(settings, Create("liar"));

        Assert.Equal(exitCode, create.ExitCode);
        if (said is null)
        {
            Assert.DoesNotContain("paths.json", create.StandardError, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(said, create.StandardError, StringComparison.Ordinal);
            Assert.Contains("share/file.txt: sha256", create.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(exitCode == 0, Directory.Exists(workspace.Prefix));
    }
}
