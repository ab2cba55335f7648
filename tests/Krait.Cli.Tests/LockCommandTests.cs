using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.Conda.Lockfiles;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait lock</c>: conda-forge's real repodata locked for four platforms agrees with what <c>krait create --dry-run</c>
/// solves for each; Krait's lockfile installed by Krait gives the conda-meta a solve gives; <c>--check</c> and
/// <c>--update</c>; explicit files.
/// </summary>
public sealed class LockCommandTests : IDisposable
{
    private static readonly string CondaForge = RepoPaths.Channel("conda-forge-subset");
    private readonly TempFolder scratch = new TempFolder("lock").Create();
    private readonly Dictionary<string, string> environment;

    public LockCommandTests() => environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Each_platform_s_lock_is_what_create_solves_for_that_platform()
    {
        var file = WriteEnvironment([CondaForge], ["python 3.9.*", "zlib"]);
        var lockfile = scratch.Combine("conda-lock.yml");
        var locked = Krait(["lock", "-f", file, "--lockfile", lockfile, "-k", "lock", "-k", "explicit"]);
        Assert.Contains("Wrote " + lockfile, locked.StandardOutput, StringComparison.Ordinal);
        var lockFile = LockFile.Parse(File.ReadAllText(lockfile), lockfile);
        Assert.Equal(["linux-64", "osx-64", "osx-arm64", "win-64"], lockFile.Platforms);

        foreach (var platform in lockFile.Platforms)
        {
            // create solves with this machine's virtual packages; the lock with fixed ones: the same, given as overrides.
            var overrides = new Dictionary<string, string>(environment)
            {
                ["CONDA_OVERRIDE_GLIBC"] = "2.17",
                ["CONDA_OVERRIDE_LINUX"] = "4.18",
                ["CONDA_OVERRIDE_OSX"] = platform == "osx-arm64" ? "11.0" : "10.15",
                ["CONDA_OVERRIDE_ARCHSPEC"] = platform == "osx-arm64" ? "arm64" : "x86_64",
                ["CONDA_OVERRIDE_CUDA"] = string.Empty,
            };
            var planned = KraitProcess.Run(["create", "-p", scratch.Combine("never"), "--dry-run", "--json", "--platform", platform, "-c", CondaForge, "--override-channels", "python 3.9.*", "zlib"], overrides);
            Assert.True(planned.ExitCode == 0, planned.StandardError);
            using var plan = JsonDocument.Parse(planned.StandardOutput);
            var solved = plan.RootElement.GetProperty("actions").GetProperty("LINK").EnumerateArray()
                .Select(r => $"{r.GetProperty("name").GetString()}-{r.GetProperty("version").GetString()}-{r.GetProperty("build_string").GetString()}")
                .Order(StringComparer.Ordinal);
            var lockedHere = lockFile.Environments[LockFile.DefaultEnvironment].Packages[platform];
            Assert.Equal(solved, lockedHere.Select(p => $"{p.Name}-{p.Version}-{p.Build}").Order(StringComparer.Ordinal));
            Assert.All(lockedHere, p => Assert.True(p.Md5 is { Length: 32 } && p.Sha256 is { Length: 64 }, $"{p.Location} is locked without both checksums"));

            // The explicit file of the platform lists the same archives, each with its md5.
            var explicitFile = File.ReadAllLines(scratch.Combine($"conda-{platform}.lock"));
            Assert.Contains($"# platform: {platform}", explicitFile);
            Assert.Equal(
                lockedHere.Select(p => $"{p.Location}#{p.Md5}").Order(StringComparer.Ordinal),
                explicitFile.SkipWhile(l => l != "@EXPLICIT").Skip(1).Order(StringComparer.Ordinal));
        }

        // The same inputs lock to the same bytes.
        var first = File.ReadAllBytes(lockfile);
        Krait(["lock", "-f", file, "--lockfile", lockfile, "-q"]);
        Assert.Equal(first, File.ReadAllBytes(lockfile));
    }

    [Fact]
    public void Krait_s_lockfile_installed_by_krait_gives_the_conda_meta_a_solve_gives()
    {
        var channel = Path.Combine(RepoPaths.Root, "examples", "channel");
        var file = WriteEnvironment([channel], ["python"]);
        var lockfile = scratch.Combine("conda-lock.yml");
        Krait(["lock", "-f", file, "--lockfile", lockfile, "-p", "linux-64", "-q"]);
        Krait(["create", "-y", "-q", "-p", scratch.Combine("env-lock"), "--lockfile", lockfile, "--platform", "linux-64"]);
        Krait(["create", "-y", "-q", "-p", scratch.Combine("env-solv"), "--platform", "linux-64", "-c", channel, "--override-channels", "python"]);

        var fromLock = CondaMeta(scratch.Combine("env-lock"));
        var fromSolve = CondaMeta(scratch.Combine("env-solv"));
        Assert.Equal(fromSolve.Keys, fromLock.Keys);
        Assert.Contains(fromLock.Keys, k => k.StartsWith("python-", StringComparison.Ordinal));
        foreach (var (name, record) in fromSolve)
        {
            Assert.Equal(record, fromLock[name]);
        }
    }

    [Fact]
    public void Check_says_whether_the_lockfile_still_matches_its_environment_file()
    {
        var file = WriteEnvironment([CondaForge], ["python 3.9.*"]);
        var lockfile = scratch.Combine("conda-lock.yml");
        Krait(["lock", "-f", file, "--lockfile", lockfile, "-p", "linux-64", "-p", "win-64", "-q"]);
        var fresh = KraitProcess.Run(["lock", "--check", "-f", file, "--lockfile", lockfile], environment);
        Assert.True(fresh.ExitCode == 0, fresh.StandardError);
        Assert.Contains("up to date", fresh.StandardOutput, StringComparison.Ordinal);

        WriteEnvironment([CondaForge], ["python 3.9.*", "zlib"]);
        var stale = KraitProcess.Run(["lock", "--check", "-f", file, "--lockfile", lockfile], environment);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("does not match", stale.StandardError, StringComparison.Ordinal);
        Assert.Contains("linux-64, win-64", stale.StandardError, StringComparison.Ordinal);

        var json = KraitProcess.Run(["lock", "--check", "--json", "-f", file, "--lockfile", lockfile, "-p", "win-64"], environment);
        using var answer = JsonDocument.Parse(json.StandardOutput);
        Assert.False(answer.RootElement.GetProperty("up_to_date").GetBoolean());
        Assert.Equal("win-64", answer.RootElement.GetProperty("stale_platforms")[0].GetString());
    }

    [Fact]
    public void Update_moves_only_the_named_package_and_a_full_lock_moves_everything()
    {
        var channel = scratch.Combine("channel");
        WriteRepodata(channel, [("a", "1.0", ["b"]), ("b", "1.0", []), ("c", "1.0", [])]);
        var file = WriteEnvironment([channel], ["a", "c"]);
        var lockfile = scratch.Combine("conda-lock.yml");
        Krait(["lock", "-f", file, "--lockfile", lockfile, "-p", "linux-64", "-q"]);
        Assert.Equal(["a-1.0", "b-1.0", "c-1.0"], Locked(lockfile));

        WriteRepodata(channel, [("a", "1.0", ["b"]), ("a", "2.0", ["b >=2"]), ("b", "1.0", []), ("b", "2.0", []), ("c", "1.0", []), ("c", "2.0", [])]);
        Krait(["lock", "-f", file, "--lockfile", lockfile, "--update", "c", "-q"]);
        Assert.Equal(["a-1.0", "b-1.0", "c-2.0"], Locked(lockfile));

        var unknown = KraitProcess.Run(["lock", "-f", file, "--lockfile", lockfile, "--update", "zzz"], environment);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("zzz is neither locked for linux-64", unknown.StandardError, StringComparison.Ordinal);

        Krait(["lock", "-f", file, "--lockfile", lockfile, "-p", "linux-64", "-q"]);
        Assert.Equal(["a-2.0", "b-2.0", "c-2.0"], Locked(lockfile));
    }

    [Fact]
    public void A_platform_that_cannot_be_solved_writes_nothing_and_names_the_platform()
    {
        var file = WriteEnvironment([CondaForge], ["ucrt"]); // Windows' C runtime: win-64 has it, linux-64 does not
        var lockfile = scratch.Combine("conda-lock.yml");
        var refused = KraitProcess.Run(["lock", "-f", file, "--lockfile", lockfile, "-p", "win-64", "-p", "linux-64"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ucrt", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("linux-64", refused.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(lockfile));

        var badPlatform = KraitProcess.Run(["lock", "-f", file, "--lockfile", lockfile, "-p", "linux-128"], environment);
        Assert.Equal(1, badPlatform.ExitCode);
        Assert.Contains("'linux-128' is not a platform", badPlatform.StandardError, StringComparison.Ordinal);
        var noFile = KraitProcess.Run(["lock", "-f", scratch.Combine("missing.yml")], environment);
        Assert.Equal(1, noFile.ExitCode);
        Assert.Contains("missing.yml does not exist", noFile.StandardError, StringComparison.Ordinal);
    }

    private KraitResult Krait(string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    private string WriteEnvironment(string[] channels, string[] dependencies)
    {
        var path = scratch.Combine("environment.yml");
        File.WriteAllLines(path, ["name: locked", "channels:", .. channels.Select(c => $"  - {c}"), "dependencies:", .. dependencies.Select(d => $"  - {d}")]);
        return path;
    }

    private static List<string> Locked(string lockfile) =>
        [.. LockFile.Parse(File.ReadAllText(lockfile), lockfile).Environments[LockFile.DefaultEnvironment].Packages["linux-64"].Select(p => $"{p.Name}-{p.Version}").Order(StringComparer.Ordinal)];

    /// <summary>A channel of repodata only (locking reads no archives): noarch packages with made-up checksums.</summary>
    private static void WriteRepodata(string channel, (string Name, string Version, string[] Depends)[] packages)
    {
        var records = new JsonObject();
        foreach (var (name, version, depends) in packages)
        {
            records[$"{name}-{version}-0.conda"] = new JsonObject
            {
                ["name"] = name,
                ["version"] = version,
                ["build"] = "0",
                ["build_number"] = 0,
                ["depends"] = new JsonArray([.. depends.Select(d => JsonValue.Create(d))]),
                ["md5"] = new string('1', 32),
                ["sha256"] = new string('2', 64),
                ["size"] = 100,
                ["subdir"] = "noarch",
            };
        }

        foreach (var subdir in new[] { "noarch", "linux-64" })
        {
            Directory.CreateDirectory(Path.Combine(channel, subdir));
            var repodata = new JsonObject { ["info"] = new JsonObject { ["subdir"] = subdir }, ["packages"] = new JsonObject(), ["packages.conda"] = subdir == "noarch" ? records.DeepClone() : new JsonObject() };
            File.WriteAllText(Path.Combine(channel, subdir, "repodata.json"), repodata.ToJsonString());
        }
    }

    /// <summary>
    /// Each conda-meta record as JSON, without the digest of files with the prefix in them (the prefixes differ; their
    /// lengths do not), and without <c>requested_spec</c>: conda-lock's format has no place for what was asked, so an
    /// environment made from it has none, as with conda-lock's own install.
    /// </summary>
    private static SortedDictionary<string, string> CondaMeta(string prefix)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json"))
        {
            var record = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            record.Remove("requested_spec");
            if (record["paths_data"]?["paths"] is JsonArray paths)
            {
                foreach (var entry in paths.OfType<JsonObject>())
                {
                    entry.Remove("sha256_in_prefix");
                }
            }

            result[Path.GetFileName(path)] = record.ToJsonString();
        }

        return result;
    }
}
