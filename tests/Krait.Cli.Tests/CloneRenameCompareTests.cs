using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait create --clone</c>, <c>krait rename</c> and <c>krait compare</c> on environments of the examples channel,
/// whose python has files that hold their prefix: a clone's copies must hold the clone's.
/// </summary>
public sealed class CloneRenameCompareTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("clone").Create();
    private readonly Dictionary<string, string> environment;

    public CloneRenameCompareTests() => environment = new()
    {
        ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"),
        ["CONDA_ENVS_DIRS"] = scratch.Combine("envs"),
    };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_clone_has_the_same_packages_and_its_files_hold_its_own_prefix()
    {
        Krait("create", "-y", "-q", "-n", "original", "-c", ExamplesChannel, "--override-channels", "python");
        Krait("create", "-y", "-q", "-n", "copy", "--clone", "original", "--offline");
        var original = scratch.Combine("envs", "original");
        var copy = scratch.Combine("envs", "copy");
        Assert.Equal(MetaFiles(original), MetaFiles(copy));
        var holding = Directory.EnumerateFiles(copy, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("conda-meta", StringComparison.Ordinal) && File.ReadAllText(f).Contains(copy, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(holding);
        Assert.All(holding, f => Assert.DoesNotContain(original, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", copy], environment).ExitCode);

        var refused = KraitProcess.Run(["create", "-y", "-n", "third", "--clone", "nowhere"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("no environment named 'nowhere'", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Rename_moves_an_environment_and_refuses_to_overwrite_without_force()
    {
        Krait("create", "-y", "-q", "-n", "before", "-c", ExamplesChannel, "--override-channels", "python");
        Krait("create", "-y", "-q", "-n", "taken", "-c", ExamplesChannel, "--override-channels", "zlib");
        var packages = MetaFiles(scratch.Combine("envs", "before"));

        var refused = KraitProcess.Run(["rename", "-n", "before", "taken", "-y"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.StandardError, StringComparison.Ordinal);

        Krait("rename", "-n", "before", "after", "-y");
        Assert.False(Directory.Exists(scratch.Combine("envs", "before")));
        Assert.Equal(packages, MetaFiles(scratch.Combine("envs", "after")));

        Krait("rename", "-n", "after", "taken", "--force", "-y");
        Assert.Equal(packages, MetaFiles(scratch.Combine("envs", "taken")));
        Assert.Equal(0, KraitProcess.Run(["doctor", "-n", "taken"], environment).ExitCode);

        var active = KraitProcess.Run(["rename", "-n", "taken", "elsewhere", "-y"], new Dictionary<string, string>(environment) { ["CONDA_PREFIX"] = scratch.Combine("envs", "taken") });
        Assert.Equal(1, active.ExitCode);
        Assert.Contains("active environment", active.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_says_which_dependencies_of_a_file_an_environment_does_not_meet()
    {
        Krait("create", "-y", "-q", "-n", "env", "-c", ExamplesChannel, "--override-channels", "python", "zlib");
        var python = MetaFiles(scratch.Combine("envs", "env")).Single(f => f.StartsWith("python-", StringComparison.Ordinal)).Split('-')[1];
        var met = scratch.Combine("met.yml");
        File.WriteAllText(met, $"dependencies:\n  - python ={python}\n  - zlib\n");
        Assert.Contains("Success.", Krait("compare", "-n", "env", met).StandardOutput, StringComparison.Ordinal);

        var unmet = scratch.Combine("unmet.yml");
        File.WriteAllText(unmet, "dependencies:\n  - python <1\n  - numpy\n  - zlib\n");
        var compared = KraitProcess.Run(["compare", "-n", "env", unmet, "--json"], environment);
        Assert.Equal(1, compared.ExitCode);
        using var json = JsonDocument.Parse(compared.StandardOutput);
        var mismatches = json.RootElement.GetProperty("mismatches").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Equal(2, mismatches.Count);
        Assert.StartsWith("python found but mismatch. Specification pkg: python <1, Running pkg: python==" + python, mismatches[0], StringComparison.Ordinal);
        Assert.Equal("numpy not found", mismatches[1]);
    }

    [Fact]
    public void The_channel_priority_shorthands_are_accepted_and_not_together()
    {
        var dryRun = KraitProcess.Run(["create", "-p", scratch.Combine("x"), "--dry-run", "-c", ExamplesChannel, "--override-channels", "--strict-channel-priority", "zlib"], environment);
        Assert.True(dryRun.ExitCode == 0, dryRun.StandardError);
        var both = KraitProcess.Run(["create", "-p", scratch.Combine("x"), "--dry-run", "-c", ExamplesChannel, "--strict-channel-priority", "--no-channel-priority", "zlib"], environment);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("give one of --channel-priority, --strict-channel-priority and --no-channel-priority", both.StandardError, StringComparison.Ordinal);
    }

    private KraitResult Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    private static List<string> MetaFiles(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
