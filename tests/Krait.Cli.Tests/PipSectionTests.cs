using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// The <c>pip:</c> section of an environment.yml: <c>krait env create</c> runs pip in the new environment's real
/// python after the conda packages, <c>list</c> and <c>env export</c> report what pip installed, and an environment
/// that pip fails in is not left behind. pip reads wheels from a local folder: there is no index here.
/// </summary>
public sealed class PipSectionTests : IClassFixture<RealPythonChannel>, IDisposable
{
    private readonly RealPythonChannel channel;
    private readonly TempFolder scratch = new TempFolder("pip-section").Create();
    private readonly Dictionary<string, string> environment;

    public PipSectionTests(RealPythonChannel channel)
    {
        this.channel = channel;
        environment = new()
        {
            ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"),
            ["CONDA_ENVS_DIRS"] = scratch.Combine("envs"),
            ["PIP_CONFIG_FILE"] = "/dev/null", // this machine's pip configuration stays out of the test
            ["PIP_NO_INPUT"] = "1",
        };
        RealPythonChannel.WriteWheel(scratch.Combine("project", "wheels"), "tinypkg", "1.0");
    }

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Env_create_runs_pip_after_the_conda_packages_and_export_writes_the_section_back()
    {
        var file = WriteFile("environment.yml", "python", "pip", "- pip:", "  - --no-index", "  - --find-links wheels", "  - tinypkg==1.0");
        var prefix = scratch.Combine("envs", "with-pip");

        // Run from elsewhere: pip must read the section in the environment file's folder, as conda runs it.
        var created = KraitProcess.Run(["env", "create", "-f", file, "-p", prefix, "-y"], environment, workingDirectory: scratch);
        Assert.True(created.ExitCode == 0, created.StandardError + created.StandardOutput);
        Assert.Contains("Successfully installed tinypkg-1.0", created.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("tinypkg 1.0", ExternalProgram.Run(Path.Combine(prefix, "bin", "tinypkg")).Trim());
        Assert.Equal($"#!{prefix}/bin/python", File.ReadLines(Path.Combine(prefix, "bin", "tinypkg")).First());
        Assert.Empty(Directory.GetFiles(scratch.Combine("project"), "*requirements.txt"));

        var listed = JsonDocument.Parse(Krait("list", "-p", prefix, "--json")).RootElement.EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (p.GetProperty("version").GetString(), p.GetProperty("channel").GetString(), p.GetProperty("build_string").GetString()));
        Assert.Equal(("1.0", "pypi", "pypi_0"), listed["tinypkg"]);
        Assert.Equal(channel.PipVersion, listed["pip"].Item1);
        Assert.NotEqual("pypi", listed["pip"].Item2); // pip's own dist-info belongs to its conda package
        Assert.Matches(@"(?m)^tinypkg +1\.0 +pypi_0 +pypi$", Krait("list", "-p", prefix, "tiny"));

        var exported = Krait("env", "export", "-p", prefix);
        Assert.EndsWith($"  - pip:\n      - tinypkg==1.0\nprefix: {prefix}\n", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("pip:", Krait("env", "export", "-p", prefix, "--from-history"), StringComparison.Ordinal);

        // The export creates the same environment again, pip finding the wheel where pip is configured to look.
        var again = scratch.Combine("project", "exported.yml");
        File.WriteAllText(again, exported.Replace($"prefix: {prefix}\n", string.Empty, StringComparison.Ordinal));
        var configured = new Dictionary<string, string>(environment) { ["PIP_NO_INDEX"] = "1", ["PIP_FIND_LINKS"] = scratch.Combine("project", "wheels") };
        var recreated = KraitProcess.Run(["env", "create", "-f", again, "-p", scratch.Combine("envs", "again"), "-y"], configured);
        Assert.True(recreated.ExitCode == 0, recreated.StandardError + recreated.StandardOutput);
        Assert.Equal(Krait("list", "-p", prefix, "--json"), Krait("list", "-p", scratch.Combine("envs", "again"), "--json"));
    }

    [Fact]
    public void When_pip_fails_the_new_environment_is_removed_and_the_error_says_why()
    {
        var file = WriteFile("environment.yml", "python", "pip", "- pip:", "  - --no-index", "  - --find-links wheels", "  - nosuchpackage==9.9");
        var prefix = scratch.Combine("envs", "failing");
        var failed = KraitProcess.Run(["env", "create", "-f", file, "-p", prefix, "-y"], environment);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("No matching distribution found for nosuchpackage==9.9", failed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"pip failed (exit code 1; its output is above) installing the pip: section of {file}; {prefix} was removed again", failed.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));

        // With --json, pip's output goes to stderr and stdout stays one JSON document.
        var json = KraitProcess.Run(["env", "create", "-f", file, "-p", prefix, "-y", "--json"], environment);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("CondaEnvException", JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("exception_name").GetString());
        Assert.Contains("nosuchpackage", json.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
    }

    [Fact]
    public void A_pip_section_with_no_python_or_no_pip_to_run_it_is_refused_before_anything_is_written()
    {
        var prefix = scratch.Combine("envs", "refused");
        var examples = Path.Combine(RepoPaths.Root, "examples", "channel");
        var noPython = KraitProcess.Run(["env", "create", "-f", WriteFile("no-python.yml", "zlib", "- pip:", "  - tinypkg"), "-c", examples, "-p", prefix, "-y"], environment);
        Assert.Equal(1, noPython.ExitCode);
        Assert.Contains("has a pip: section, but its environment has no python to run pip with", noPython.StandardError, StringComparison.Ordinal);
        Assert.Contains("add python and pip to its dependencies", noPython.StandardError, StringComparison.Ordinal);

        var condarc = scratch.Combine("condarc");
        File.WriteAllText(condarc, "add_pip_as_python_dependency: false\n");
        var noPip = KraitProcess.Run(["env", "create", "-f", WriteFile("no-pip.yml", "python", "- pip:", "  - tinypkg"), "-p", prefix, "-y"], new Dictionary<string, string>(environment) { ["CONDARC"] = condarc });
        Assert.Equal(1, noPip.ExitCode);
        Assert.Contains("has a pip: section, but its environment has no pip", noPip.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
    }

    [Fact]
    public void Dry_run_names_the_pip_lines_and_lock_and_bundle_refuse_what_they_cannot_hold()
    {
        var file = WriteFile("environment.yml", "python", "pip", "- pip:", "  - --no-index", "  - tinypkg==1.0");
        var dryRun = KraitProcess.Run(["env", "create", "-f", file, "-p", scratch.Combine("envs", "dry"), "--dry-run"], environment);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains($"Then pip would install, from the pip: section of {file}:\n  --no-index\n  tinypkg==1.0\n", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.Combine("envs", "dry")));

        foreach (var (command, what) in new[] { (new[] { "lock", "-f", file, "-p", "linux-64", "--lockfile", scratch.Combine("conda-lock.yml") }, "a lockfile Krait writes"), (["bundle", "-f", file, "-p", "linux-64", "-o", scratch.Combine("b.tar")], "an offline bundle") })
        {
            var refused = KraitProcess.Run(command, environment);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"{file} has a pip: section, and {what} holds conda packages only", refused.StandardError, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(scratch.Combine("conda-lock.yml")));
        Assert.False(File.Exists(scratch.Combine("b.tar")));
    }

    private string WriteFile(string name, params string[] dependencies)
    {
        var path = scratch.Combine("project", name);
        var lines = dependencies.Select(d => d.StartsWith("- ", StringComparison.Ordinal) || d.StartsWith("  ", StringComparison.Ordinal) ? $"  {d}" : $"  - {d}");
        File.WriteAllText(path, $"name: test\nchannels:\n  - {channel.Channel}\ndependencies:\n{string.Join('\n', lines)}\n");
        return path;
    }

    private string Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }
}
