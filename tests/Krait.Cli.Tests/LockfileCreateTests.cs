using System.Security.Cryptography;
using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait create --lockfile</c>: exactly the locked packages, without solving, each archive checked against the
/// lockfile's sha256; real lockfiles of conda-lock and pixi (whose URLs are not reachable here) as dry runs.
/// </summary>
public sealed class LockfileCreateTests : IDisposable
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch");
    private readonly TempFolder scratch = new TempFolder("lockfile-create").Create();
    private readonly Dictionary<string, string> environment;

    public LockfileCreateTests() => environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_conda_lock_file_installs_exactly_its_packages()
    {
        var lockfile = WriteCondaLock(["dependency-1.0-0", "dependent-1.0-0"], corrupt: null);
        var prefix = scratch.Combine("env");
        var created = KraitProcess.Run(["create", "-p", prefix, "-y", "--lockfile", lockfile, "--platform", "linux-64"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("also locks 1 PyPI package(s) (tomli 2.0.1)", created.StandardError, StringComparison.Ordinal);
        Assert.Equal(
            ["dependency-1.0-0.json", "dependent-1.0-0.json"],
            Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(prefix, "conda-meta", "dependent-1.0-0.json")));
        Assert.Equal(Sha256Of("dependent-1.0-0"), meta.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public void Install_with_a_lockfile_makes_an_environment_exactly_what_it_locks()
    {
        var prefix = scratch.Combine("moved");
        var first = WriteCondaLock(["dependency-1.0-0", "dependent-1.0-0", "versioned-1.0-0"], corrupt: null, name: "first");
        Assert.Equal(0, KraitProcess.Run(["create", "-p", prefix, "-y", "-q", "--lockfile", first, "--platform", "linux-64"], environment).ExitCode);
        var second = WriteCondaLock(["dependency-2.0-0", "dependent-2.0-0"], corrupt: null, name: "second");
        var moved = KraitProcess.Run(["install", "-p", prefix, "-y", "--lockfile", second, "--platform", "linux-64"], environment);
        Assert.True(moved.ExitCode == 0, moved.StandardError);
        Assert.Equal(
            ["dependency-2.0-0.json", "dependent-2.0-0.json"],
            Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var refused = KraitProcess.Run(["install", "-p", prefix, "-y", "--lockfile", second, "versioned"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("give no specs", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_that_does_not_match_its_locked_sha256_is_refused_and_nothing_is_made()
    {
        var lockfile = WriteCondaLock(["dependency-1.0-0", "dependent-1.0-0"], corrupt: "dependent-1.0-0");
        var prefix = scratch.Combine("refused");
        var refused = KraitProcess.Run(["create", "-p", prefix, "-y", "--lockfile", lockfile, "--platform", "linux-64"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("sha256", refused.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(Path.Combine(prefix, "conda-meta")) && Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Length > 0);
    }

    [Theory]
    [InlineData("conda-lock/zlib.conda-lock.yml", "win-64", 5)]
    [InlineData("conda-lock/zlib.conda-lock.yml", "linux-64", 6)]
    [InlineData("pixi-lock/v6/numpy-as-pypi-lock.yml", "osx-arm64", 19)]
    public void Real_lockfiles_plan_their_platform_s_packages(string file, string platform, int packages)
    {
        var planned = KraitProcess.Run(["create", "-p", scratch.Combine("planned"), "--dry-run", "--json", "--lockfile", Path.Combine(RepoPaths.Data, "lockfiles", file), "--platform", platform], environment);
        Assert.True(planned.ExitCode == 0, planned.StandardError);
        using var json = JsonDocument.Parse(planned.StandardOutput);
        Assert.Equal(packages, json.RootElement.GetProperty("actions").GetProperty("LINK").GetArrayLength());
    }

    [Theory]
    [InlineData("pixi-lock/v7/conda-path-lock.yml", "win-64", "builds from source")]
    [InlineData("conda-lock/zlib.conda-lock.yml", "osx-arm64", "locks no packages of 'default' for osx-arm64")]
    public void What_cannot_be_installed_from_a_lockfile_is_refused_with_why(string file, string platform, string expected)
    {
        var refused = KraitProcess.Run(["create", "-p", scratch.Combine("never"), "--dry-run", "--lockfile", Path.Combine(RepoPaths.Data, "lockfiles", file), "--platform", platform], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(expected, refused.StandardError, StringComparison.Ordinal);
    }

    private static string Sha256Of(string stem) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Recipes, stem + ".conda"))));

    /// <summary>A conda-lock.yml (the format conda-lock writes) locking packages of conda-test-recipes by file URL, and one pip package.</summary>
    private string WriteCondaLock(string[] stems, string? corrupt, string name = "lock")
    {
        var lines = new List<string> { "version: 1", "metadata:", "  channels:", "  - url: conda-test-recipes", "    used_env_vars: []", "  content_hash:", "    linux-64: x", "  platforms:", "  - linux-64", "  sources:", "  - environment.yml", "package:" };
        foreach (var stem in stems)
        {
            var sha256 = stem == corrupt ? new string('0', 64) : Sha256Of(stem);
            var parts = stem.Split('-');
            lines.AddRange([
                "- category: main", "  dependencies: {}", "  hash:", $"    sha256: {sha256}", "  manager: conda", $"  name: {parts[0]}", "  optional: false", "  platform: linux-64",
                $"  url: {new Uri(Path.Combine(Recipes, stem + ".conda")).AbsoluteUri}", $"  version: '{parts[1]}'",
            ]);
        }

        lines.AddRange(["- category: main", "  dependencies: {}", "  hash:", "    sha256: 0000000000000000000000000000000000000000000000000000000000000000", "  manager: pip", "  name: tomli", "  optional: false", "  platform: linux-64", "  url: https://files.pythonhosted.org/packages/tomli-2.0.1-py3-none-any.whl", "  version: 2.0.1"]);
        var path = scratch.Combine($"{name}-{corrupt ?? "ok"}.conda-lock.yml");
        File.WriteAllLines(path, lines);
        return path;
    }
}
