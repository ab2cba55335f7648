using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>krait install, update and remove as a user runs them: plans, conda's JSON, errors and exit codes.</summary>
public sealed class ChangeCommandTests : IDisposable
{
    private readonly TempFolder scratch = new("change");
    private readonly Dictionary<string, string> environment;
    private readonly string prefix;

    public ChangeCommandTests()
    {
        environment = new() { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") };
        prefix = Path.Combine(scratch, "env");
    }

    private static string[] Channel => ["-c", RepoPaths.Channel("conda-test-recipes"), "--override-channels", "--platform", "linux-64"];

    public void Dispose() => scratch.Dispose();

    private KraitResult Krait(params string[] arguments) => KraitProcess.Run(arguments, environment);

    private void CreateWith(params string[] specs)
    {
        var created = Krait(["create", "-p", prefix, "-y", "-q", .. Channel, .. specs]);
        Assert.True(created.ExitCode == 0, created.StandardError);
    }

    /// <summary>conda-meta/pinned holds a package where it is: updates keep to it, and asking past it is conda's SpecsConfigurationConflictError.</summary>
    [Fact]
    public void Pinned_packages_stay_within_their_pins()
    {
        CreateWith("dependent=1.0");
        File.WriteAllText(Path.Combine(prefix, "conda-meta", "pinned"), "# held back on purpose\ndependent 1.*\n");

        var updated = Krait(["update", "-p", prefix, "-y", "--json", .. Channel, "--all"]);
        Assert.True(updated.ExitCode == 0, updated.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-1.0-0.json")));

        var conflict = Krait(["install", "-p", prefix, "-y", "--json", .. Channel, "dependent=2.0"]);
        Assert.Equal(1, conflict.ExitCode);
        using (var json = JsonDocument.Parse(conflict.StandardOutput))
        {
            Assert.Equal("SpecsConfigurationConflictError", json.RootElement.GetProperty("exception_name").GetString());
            Assert.Contains("pinned specs:\n    - dependent", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        File.Delete(Path.Combine(prefix, "conda-meta", "pinned"));
        var unpinned = Krait(["install", "-p", prefix, "-y", "-q", .. Channel, "dependent=2.0"]);
        Assert.True(unpinned.ExitCode == 0, unpinned.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json")));
    }

    [Fact]
    public void Install_json_is_condas_actions_with_unlink_and_a_dry_run_changes_nothing()
    {
        CreateWith("dependent=1.0");
        var before = TreeSnapshot.Take(prefix);

        var dryRun = Krait(["install", "-p", prefix, "--dry-run", "--json", .. Channel, "dependent=2.0"]);
        Assert.Equal(0, dryRun.ExitCode);
        using (var json = JsonDocument.Parse(dryRun.StandardOutput))
        {
            var actions = json.RootElement.GetProperty("actions");
            Assert.True(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal(["dependency-2.0", "dependent-2.0"], actions.GetProperty("LINK").EnumerateArray().Select(Identity).Order(StringComparer.Ordinal));
            Assert.Equal(["dependency-1.0", "dependent-1.0"], actions.GetProperty("UNLINK").EnumerateArray().Select(Identity).Order(StringComparer.Ordinal));
            Assert.Equal(prefix, actions.GetProperty("PREFIX").GetString());
        }

        Assert.Equal(before, TreeSnapshot.Take(prefix));

        var table = Krait(["install", "-p", prefix, "--dry-run", .. Channel, "dependent=2.0"]);
        Assert.Matches(@"update\s+dependent\s+1\.0-0 -> 2\.0-0", table.StandardOutput);
        Assert.Contains("2 to update. Dry run: nothing was changed.", table.StandardOutput, StringComparison.Ordinal);

        var real = Krait(["install", "-p", prefix, "-y", "--json", .. Channel, "dependent=2.0"]);
        Assert.Equal(0, real.ExitCode);
        using (var json = JsonDocument.Parse(real.StandardOutput))
        {
            Assert.False(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.True(json.RootElement.GetProperty("success").GetBoolean());
        }

        var again = Krait(["install", "-p", prefix, "-y", .. Channel, "dependent=2.0"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("All requested packages already installed.", again.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>An environment of exactly these packages of conda-test-recipes, made from an @EXPLICIT file (so no spec is in its history).</summary>
    private void CreateExactly(params string[] stems)
    {
        var file = Path.Combine(scratch, "explicit.txt");
        Directory.CreateDirectory(scratch);
        File.WriteAllLines(file, ["@EXPLICIT", .. stems.Select(s => new Uri(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", s + ".conda")).AbsoluteUri)]);
        var created = Krait(["create", "-p", prefix, "-y", "-q", "--file", file]);
        Assert.True(created.ExitCode == 0, created.StandardError);
    }

    private string[] Installed() => [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Run_constrained_moves_the_constrained_package_or_refuses()
    {
        CreateExactly("dependency-1.0-0");
        var refused = Krait(["install", "-p", prefix, "-y", .. Channel, "run_constrained", "dependency=1.0"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("run_constrained 1.0 allows only dependency>=2.0", refused.StandardError, StringComparison.Ordinal);

        var installed = Krait(["install", "-p", prefix, "-y", "-q", .. Channel, "run_constrained"]);
        Assert.True(installed.ExitCode == 0, installed.StandardError);
        Assert.Equal(["dependency-2.0-0", "run_constrained-1.0-0"], Installed());
    }

    [Fact]
    public void Update_all_moves_every_package_as_far_as_the_specs_asked_for_allow()
    {
        CreateExactly("dependency-1.0-0", "dependent-1.0-0", "versioned-1.0-0");

        // The @EXPLICIT lines carry no hash: conda-meta still gets the archive's size, md5 and sha256, as conda's does.
        using (var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(prefix, "conda-meta", "dependency-1.0-0.json"))))
        {
            var archive = File.ReadAllBytes(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "dependency-1.0-0.conda"));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(archive)), meta.RootElement.GetProperty("sha256").GetString());
            Assert.Equal(32, meta.RootElement.GetProperty("md5").GetString()!.Length);
            Assert.Equal(archive.Length, meta.RootElement.GetProperty("size").GetInt64());
        }

        var updated = Krait(["update", "-p", prefix, "--all", "-y", "-q", .. Channel]);
        Assert.True(updated.ExitCode == 0, updated.StandardError);
        Assert.Equal(["dependency-2.0-0", "dependent-2.0-0", "versioned-2.0-0"], Installed());

        // A version once asked for (conda-meta/history) holds, as in conda.
        Directory.Delete(prefix, recursive: true);
        CreateExactly("dependency-1.0-0", "dependent-1.0-0", "versioned-1.0-0");
        var asked = Krait(["install", "-p", prefix, "-y", "-q", .. Channel, "versioned=1.0", "small-executable"]);
        Assert.True(asked.ExitCode == 0, asked.StandardError);
        var held = Krait(["update", "-p", prefix, "--all", "-y", "-q", .. Channel]);
        Assert.True(held.ExitCode == 0, held.StandardError);
        Assert.Equal(["dependency-2.0-0", "dependent-2.0-0", "small-executable-1.0-0", "versioned-1.0-0"], Installed());
    }

    [Fact]
    public void Remove_takes_dependents_with_it_unless_forced_and_all_removes_the_environment()
    {
        CreateWith("another_dependent", "small-executable");
        var forced = Krait(["remove", "-p", prefix, "-y", "-q", "--force", "dependency"]);
        Assert.True(forced.ExitCode == 0, forced.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json")));

        var plain = Krait(["remove", "-p", prefix, "-y", "--json", "dependent"]);
        using (var json = JsonDocument.Parse(plain.StandardOutput))
        {
            Assert.Equal(["another_dependent-2.0", "dependent-2.0"], json.RootElement.GetProperty("actions").GetProperty("UNLINK").EnumerateArray().Select(Identity).Order(StringComparer.Ordinal));
        }

        var all = Krait(["remove", "-p", prefix, "-y", "-q", "--all"]);
        Assert.True(all.ExitCode == 0, all.StandardError);
        Assert.False(Directory.Exists(prefix));

        CreateWith("small-executable");
        var envRemove = Krait(["env", "remove", "-p", prefix, "-y"]);
        Assert.True(envRemove.ExitCode == 0, envRemove.StandardError);
        Assert.Contains($"Removed {prefix}", envRemove.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
    }

    [Fact]
    public void Bad_requests_are_clear_errors_that_change_nothing()
    {
        CreateWith("dependency=1.0");
        var before = TreeSnapshot.Take(prefix);

        var missing = Krait(["remove", "-p", prefix, "-y", "numpy"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing from the target environment", missing.StandardError, StringComparison.Ordinal);
        Assert.Contains("- numpy", missing.StandardError, StringComparison.Ordinal);

        var notInstalled = Krait(["update", "-p", prefix, "-y", .. Channel, "dependent"]);
        Assert.Equal(1, notInstalled.ExitCode);
        Assert.Contains("dependent is not installed", notInstalled.StandardError, StringComparison.Ordinal);

        var json = Krait(["install", "-p", prefix, "-y", "--json", .. Channel, "unsatisfiable"]);
        Assert.Equal(1, json.ExitCode);
        using (var error = JsonDocument.Parse(json.StandardOutput))
        {
            Assert.Equal("UnsatisfiableError", error.RootElement.GetProperty("exception_name").GetString());
        }

        var nowhere = Krait(["install", "-p", Path.Combine(scratch, "nowhere"), "-y", .. Channel, "dependency"]);
        Assert.Equal(1, nowhere.ExitCode);
        Assert.Contains("is not an environment", nowhere.StandardError, StringComparison.Ordinal);

        Assert.Equal(before, TreeSnapshot.Take(prefix));
    }

    /// <summary>
    /// conda's prompt reads stdin even when it is not a terminal; removing a whole environment takes a yes (or -y),
    /// never the end of the input, while installing takes the default, yes, as conda does.
    /// </summary>
    [Fact]
    public void Removing_an_environment_needs_a_yes_and_other_changes_take_the_default()
    {
        CreateWith("dependency=1.0");
        var before = TreeSnapshot.Take(prefix);

        var silent = KraitProcess.Run(["remove", "-p", prefix, "--all"], environment);
        Assert.Equal(1, silent.ExitCode);
        Assert.Contains("not confirmed", silent.StandardError, StringComparison.Ordinal);
        var envRemove = KraitProcess.Run(["env", "remove", "-p", prefix], environment);
        Assert.Equal(1, envRemove.ExitCode);
        var refused = KraitProcess.Run(["remove", "-p", prefix, "--all"], environment, input: "maybe\nn\n");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Invalid choice: maybe", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, TreeSnapshot.Take(prefix));

        var installed = KraitProcess.Run(["install", "-p", prefix, .. Channel, "dependent=1.0"], environment);
        Assert.True(installed.ExitCode == 0, installed.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "dependent-1.0-0.json")));

        var confirmed = KraitProcess.Run(["remove", "-p", prefix, "--all"], environment, input: "y\n");
        Assert.True(confirmed.ExitCode == 0, confirmed.StandardError);
        Assert.False(Directory.Exists(prefix));
    }

    /// <summary>conda's everyday forms: list filtered by a regular expression, --export, --canonical; env export --no-builds; run --cwd.</summary>
    [Fact]
    public void List_export_and_run_take_condas_everyday_options()
    {
        CreateWith("dependent=2.0");

        var filtered = Krait(["list", "-p", prefix, "DEPEND"]);
        Assert.Equal(["dependency", "dependent"], filtered.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]));
        var exact = Krait(["list", "-p", prefix, "--full-name", "dependent", "--export"]);
        Assert.Equal(["dependent=2.0=0"], exact.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
        var canonical = Krait(["list", "-p", prefix, "--canonical", "^dependency$"]);
        Assert.EndsWith("/noarch::dependency-2.0-0", canonical.StandardOutput.Trim(), StringComparison.Ordinal);
        var badPattern = Krait(["list", "-p", prefix, "["]);
        Assert.Equal(1, badPattern.ExitCode);
        Assert.Contains("is not a regular expression", badPattern.StandardError, StringComparison.Ordinal);

        var noBuilds = Krait(["env", "export", "-p", prefix, "--no-builds"]);
        Assert.Contains("\n  - dependent=2.0\n", noBuilds.StandardOutput, StringComparison.Ordinal);

        var elsewhere = Path.Combine(scratch, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var ran = Krait(["run", "-p", prefix, "--cwd", elsewhere, "--no-capture-output", "pwd"]);
        Assert.True(ran.ExitCode == 0, ran.StandardError);
        Assert.Equal(elsewhere, ran.StandardOutput.Trim());
    }

    /// <summary>A damaged file is named with its line and column, whatever reads it: conda-meta, a channel's repodata.</summary>
    [Fact]
    public void Damaged_files_are_named_with_line_and_column()
    {
        CreateWith("dependency=1.0");
        var record = Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "dependency-*.json").Single();
        File.WriteAllText(record, "{\n  \"name\": \"dependency\",, }");
        var listed = Krait(["list", "-p", prefix]);
        Assert.Equal(1, listed.ExitCode);
        Assert.Contains($"error: {record}:2:24: invalid JSON", listed.StandardError, StringComparison.Ordinal);

        var channel = Path.Combine(scratch, "channel");
        Directory.CreateDirectory(Path.Combine(channel, "noarch"));
        File.WriteAllText(Path.Combine(channel, "noarch", "repodata.json"), "{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\",\n \"version\": 1}}}");
        var searched = Krait(["search", "-c", channel, "--override-channels", "a"]);
        Assert.Equal(1, searched.ExitCode);
        Assert.Contains($"{Path.Combine(channel, "noarch", "repodata.json")}:2:13: malformed repodata", searched.StandardError, StringComparison.Ordinal);
    }

    private static string Identity(JsonElement package) => $"{package.GetProperty("name").GetString()}-{package.GetProperty("version").GetString()}";
}
