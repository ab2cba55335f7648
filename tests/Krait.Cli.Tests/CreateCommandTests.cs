using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

public class CreateCommandTests
{
    private static readonly Dictionary<string, string> Overrides = new() { ["CONDA_OVERRIDE_GLIBC"] = "2.17", ["CONDA_OVERRIDE_CUDA"] = "10.0" };

    [Fact]
    public void Dry_run_json_is_condas_plan_and_matches_the_recorded_solve()
    {
        var expected = File.ReadLines(Path.Combine(RepoPaths.Conformance, "solves.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.GetProperty("channel").GetString() == "defaults-2017" && e.GetProperty("specs").GetArrayLength() == 1 && e.GetProperty("specs")[0].GetString() == "numpy")
            .GetProperty("expected").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        var result = KraitProcess.Run(
            ["create", "-n", "test", "--dry-run", "--json", "--override-channels", "-c", RepoPaths.Channel("defaults-2017"), "--platform", "linux-64", "numpy"],
            Overrides);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.True(root.GetProperty("dry_run").GetBoolean());
        var actions = root.GetProperty("actions");
        Assert.EndsWith("/envs/test", actions.GetProperty("PREFIX").GetString()!, StringComparison.Ordinal);
        var link = actions.GetProperty("LINK").EnumerateArray().ToList();
        Assert.Equal(expected, link.Select(p => $"{p.GetProperty("name").GetString()}-{p.GetProperty("version").GetString()}-{p.GetProperty("build_string").GetString()}").Order(StringComparer.Ordinal));
        foreach (var package in link)
        {
            Assert.Equal(JsonValueKind.Number, package.GetProperty("build_number").ValueKind);
            Assert.Equal("linux-64", package.GetProperty("subdir").GetString());
            Assert.EndsWith(".tar.bz2", package.GetProperty("fn").GetString()!, StringComparison.Ordinal);
            Assert.StartsWith("file://", package.GetProperty("channel").GetString()!, StringComparison.Ordinal);
        }

        Assert.Equal(link.Count, actions.GetProperty("FETCH").GetArrayLength());
    }

    [Fact]
    public void An_unsatisfiable_request_exits_1_with_an_explanation()
    {
        var arguments = new[] { "create", "-p", "/tmp/krait-never", "--dry-run", "--override-channels", "-c", RepoPaths.Channel("defaults-2017"), "--platform", "linux-64", "python=3.6", "python=2.7" };
        var human = KraitProcess.Run(arguments, Overrides);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("Could not find a set of packages", human.StandardError, StringComparison.Ordinal);
        Assert.Contains("python", human.StandardError, StringComparison.Ordinal);

        var json = KraitProcess.Run([.. arguments, "--json"], Overrides);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.False(document.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("UnsatisfiableError", document.RootElement.GetProperty("exception_name").GetString());
    }

    /// <summary>A command line krait cannot read exits 2 with the problem on stderr and nothing on stdout, as argparse does for conda.</summary>
    [Theory]
    [InlineData("create|-p|/tmp/krait-never|--bogus|bzip2", "unrecognized option '--bogus'")]
    [InlineData("create|--platform", "--platform")]
    [InlineData("nosuchcommand", "nosuchcommand")]
    [InlineData("shell|activate|--bogus", "unrecognized option '--bogus'")]
    public void An_unreadable_command_line_is_a_usage_error(string arguments, string named)
    {
        var result = KraitProcess.Run(arguments.Split('|'));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: see krait", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public void Channel_mistakes_get_hints_that_help()
    {
        var missingFolder = KraitProcess.Run(["create", "-d", "-p", "/tmp/krait-never", "-c", "./no-such-channel-here", "--override-channels", "bzip2"]);
        Assert.Equal(1, missingFolder.ExitCode);
        Assert.DoesNotContain("--override-channels", missingFolder.StandardError, StringComparison.Ordinal);

        var bareFolder = KraitProcess.Run(["create", "-d", "--offline", "-p", "/tmp/krait-never", "-c", "examples/channel", "--override-channels", "bzip2"], workingDirectory: RepoPaths.Root);
        Assert.Contains("for the folder examples/channel here, write ./examples/channel", bareFolder.StandardError, StringComparison.Ordinal);

        var none = KraitProcess.Run(["create", "-d", "-p", "/tmp/krait-never", "bzip2"]);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("-c conda-forge", none.StandardError, StringComparison.Ordinal);
    }

    /// <summary>As conda: a create without packages makes an empty environment, which later installs fill.</summary>
    [Fact]
    public void A_create_without_packages_makes_an_empty_environment()
    {
        using var scratch = new TempFolder("empty");
        var prefix = scratch.Combine("env");
        var created = KraitProcess.Run(["create", "-p", prefix, "-y"], Overrides);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "history")));
        Assert.Empty(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json"));

        var listed = KraitProcess.Run(["list", "-p", prefix, "--json"], Overrides);
        Assert.Equal("[]", listed.StandardOutput.Trim());
        var installed = KraitProcess.Run(["install", "-p", prefix, "-y", "-q", "--override-channels", "-c", Path.Combine(RepoPaths.Root, "examples", "channel"), "--platform", "linux-64", "bzip2"], Overrides);
        Assert.True(installed.ExitCode == 0, installed.StandardError);
        Assert.Single(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "bzip2-*.json"));
    }

    /// <summary>As conda: every requested spec no channel can meet, at once, as PackagesNotFoundError, with the names probably meant.</summary>
    [Fact]
    public void Every_missing_package_is_named_at_once_with_what_was_meant()
    {
        var arguments = new[] { "create", "-p", "/tmp/krait-never", "--dry-run", "--override-channels", "-c", Path.Combine(RepoPaths.Root, "examples", "channel"), "--platform", "linux-64", "numpi", "python", "pandaz", "zlib=99" };
        var human = KraitProcess.Run(arguments, Overrides);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("  - numpi\n  - pandaz\n  - zlib=99\n", human.StandardError, StringComparison.Ordinal);
        Assert.Contains("did you mean numpy (for numpi), pandas (for pandaz)?", human.StandardError, StringComparison.Ordinal);

        var json = KraitProcess.Run([.. arguments, "--json"], Overrides);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("PackagesNotFoundError", document.RootElement.GetProperty("exception_name").GetString());
    }

    [Fact]
    public void The_readme_command_installs_an_environment_from_the_example_channel()
    {
        using var scratch = new TempFolder("readme");
        var prefix = Path.Combine(scratch, "demo");
        var result = KraitProcess.Run(["create", "-y", "-p", prefix, "-c", "./examples/channel", "python", "numpy", "pandas"], new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") });
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"Created {prefix}", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "history")));
        Assert.Contains(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json"), f => Path.GetFileName(f).StartsWith("numpy-", StringComparison.Ordinal));

        // The example packages carry the prefix placeholder: every text file that had it now names the environment.
        var configs = Directory.GetFiles(Path.Combine(prefix, "etc"), "*.conf");
        Assert.NotEmpty(configs);
        Assert.All(configs, c => Assert.DoesNotContain("anaconda1anaconda2anaconda3", File.ReadAllText(c), StringComparison.Ordinal));
        Assert.Contains(configs, c => File.ReadAllText(c).Contains(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Shows_a_table_of_the_plan_on_the_example_channel()
    {
        var result = KraitProcess.Run(["create", "-n", "demo", "--dry-run", "-c", "./examples/channel", "numpy", "python=3.12"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Dry run: nothing was installed.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\n  numpy\s+1\.\d+\.\d+\s+py312", result.StandardOutput);
        Assert.Matches(@"\n  python\s+3\.12\.", result.StandardOutput);
    }

    [Theory]
    [InlineData(new[] { "create", "--dry-run", "-c", "./examples/channel", "numpy" }, "give --name NAME or --prefix PATH")]
    [InlineData(new[] { "create", "-n", "a", "-p", "/tmp/b", "--dry-run", "-c", "./examples/channel", "numpy" }, "either --name or --prefix")]
    [InlineData(new[] { "create", "-n", "a/b", "--dry-run", "-c", "./examples/channel", "numpy" }, "invalid environment name")]
    [InlineData(new[] { "create", "-n", "a", "--dry-run", "-c", "./examples/channel", "numpy[version=" }, "invalid spec")]
    public void Bad_requests_are_clear_errors(string[] arguments, string message)
    {
        var result = KraitProcess.Run(arguments);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Creates_an_environment_from_a_local_channel_all_or_nothing()
    {
        using var scratch = new TempFolder("create");
        Directory.CreateDirectory(Path.Combine(scratch, "home"));
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs"), ["HOME"] = Path.Combine(scratch, "home") };
        var prefix = Path.Combine(scratch, "env");
        var result = KraitProcess.Run(
            ["create", "-p", prefix, "-y", "--json", "--override-channels", "-c", RepoPaths.Channel("conda-test-recipes"), "--platform", "linux-64", "another_dependent"],
            environment);
        Assert.Equal(0, result.ExitCode);
        using (var json = JsonDocument.Parse(result.StandardOutput))
        {
            Assert.False(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal(3, json.RootElement.GetProperty("actions").GetProperty("LINK").GetArrayLength());
        }

        Assert.Equal(
            ["another_dependent-2.0-0.json", "dependency-2.0-0.json", "dependent-2.0-0.json", "history"],
            Directory.GetFiles(Path.Combine(prefix, "conda-meta")).Select(Path.GetFileName).Where(f => f![0] != '.').Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(scratch, "pkgs", "dependency-2.0-0", "info", "repodata_record.json")));

        var list = KraitProcess.Run(["list", "-p", prefix, "--json"], environment);
        Assert.Equal(0, list.ExitCode);
        using (var json = JsonDocument.Parse(list.StandardOutput))
        {
            Assert.Equal(["another_dependent", "dependency", "dependent"], json.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }

        var human = KraitProcess.Run(["list", "-p", prefix], environment);
        Assert.Contains($"# packages in environment at {prefix}:", human.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\ndependent\s+2\.0\s+0\s+file://", human.StandardOutput);

        var explicitSpec = KraitProcess.Run(["list", "-p", prefix, "--explicit", "--md5"], environment);
        var urls = explicitSpec.StandardOutput.Split('\n').SkipWhile(l => l != "@EXPLICIT").Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(3, urls.Count);
        Assert.All(urls, u => Assert.Matches(@"^file://.*\.conda#[0-9a-f]{32}$", u));

        // The explicit file recreates the same environment without solving.
        var explicitFile = Path.Combine(scratch, "explicit.txt");
        File.WriteAllText(explicitFile, explicitSpec.StandardOutput);
        var copy = Path.Combine(scratch, "copy");
        var recreated = KraitProcess.Run(["create", "-p", copy, "-y", "--file", explicitFile], environment);
        Assert.Equal(0, recreated.ExitCode);
        Assert.Equal(
            Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(copy, "conda-meta"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("dependency >=2.0,<3.0a0", File.ReadAllText(Path.Combine(copy, "conda-meta", "dependent-2.0-0.json")), StringComparison.Ordinal);

        var exported = KraitProcess.Run(["env", "export", "-p", prefix], environment);
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains("name: env\n", exported.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\n  - dependent=2.0=0\n", exported.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"channels:\n  - {new Uri(RepoPaths.Channel("conda-test-recipes")).AbsoluteUri}\n", exported.StandardOutput, StringComparison.Ordinal); // plain, as conda writes it
        var yaml = Path.Combine(scratch, "environment.yml");
        File.WriteAllText(yaml, exported.StandardOutput);
        var fromYaml = Path.Combine(scratch, "from-yaml");
        var created = KraitProcess.Run(["env", "create", "-f", yaml, "-p", fromYaml, "-y"], environment);
        Assert.Equal(0, created.ExitCode);
        Assert.True(File.Exists(Path.Combine(fromYaml, "conda-meta", "dependent-2.0-0.json")));

        // The exported file names the environment twice (name and prefix): as in conda, its name wins.
        var envsDir = Path.Combine(scratch, "envs");
        var byName = KraitProcess.Run(["env", "create", "-f", yaml, "-y"], new Dictionary<string, string>(environment) { ["CONDA_ENVS_PATH"] = envsDir });
        Assert.True(byName.ExitCode == 0, byName.StandardError);
        Assert.True(File.Exists(Path.Combine(envsDir, "env", "conda-meta", "dependent-2.0-0.json")));

        var fromHistory = KraitProcess.Run(["env", "export", "-p", prefix, "--from-history"], environment);
        Assert.Contains("dependencies:\n  - another_dependent\nprefix:", fromHistory.StandardOutput, StringComparison.Ordinal);

        var envs = KraitProcess.Run(["env", "list", "--json"], environment);
        using (var json = JsonDocument.Parse(envs.StandardOutput))
        {
            Assert.Contains(prefix, json.RootElement.GetProperty("envs").EnumerateArray().Select(e => e.GetString()));
        }

        var again = KraitProcess.Run(["create", "-p", prefix, "-y", "--override-channels", "-c", RepoPaths.Channel("conda-test-recipes"), "--platform", "linux-64", "dependency"], environment);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.StandardError, StringComparison.Ordinal);

        var python = Path.Combine(scratch, "python");
        var noarch = KraitProcess.Run(["create", "-p", python, "-y", "--override-channels", "-c", RepoPaths.Channel("conda-test-recipes"), "--platform", "linux-64", "sample_noarch_python"], environment);
        Assert.Equal(0, noarch.ExitCode);
        // noarch: python files land in the environment's site-packages (here python's python_site_packages_path).
        Assert.True(File.Exists(Path.Combine(python, "lib", "python3.99t", "site-packages", "sample.py")));
        using (var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(python, "conda-meta", "sample_noarch_python-1.0-py_0.json"))))
        {
            Assert.Contains("lib/python3.99t/site-packages/sample.py", meta.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        }

        var refused = Path.Combine(scratch, "refused");
        var scripts = KraitProcess.Run(["create", "-p", refused, "-y", "--override-channels", "-c", RepoPaths.Channel("conda-test-recipes"), "--platform", "linux-64", "failing_post_link"], environment);
        Assert.Equal(1, scripts.ExitCode);
        Assert.Contains("link script", scripts.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(refused));
    }
}
