using Krait.TestSupport;

namespace Krait.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder prefix = new("run");

    public RunCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(prefix, "conda-meta"));
        Directory.CreateDirectory(Path.Combine(prefix, "bin"));
    }

    public void Dispose() => prefix.Dispose();

    [Fact]
    public void Runs_the_environments_program_with_its_variables_and_exit_code()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var tool = Path.Combine(prefix, "bin", "hello");
        File.WriteAllText(tool, "#!/bin/sh\necho \"prefix=$CONDA_PREFIX arg=$1\"\nexit 7\n");
        File.SetUnixFileMode(tool, (UnixFileMode)0b111_101_101);

        var result = KraitProcess.Run(["run", "-p", prefix, "hello", "--flag"]);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal($"prefix={prefix} arg=--flag", result.StandardOutput.Trim());
    }

    /// <summary>A command that is not there is an error and a shell's exit code (127), not a crash; with activate.d scripts, sh says the same.</summary>
    [Fact]
    public void A_missing_command_is_an_error_not_a_crash()
    {
        var missing = KraitProcess.Run(["run", "-p", prefix, "krait-no-such-command"]);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("krait-no-such-command: command not found", missing.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", missing.StandardError, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "activate.d"));
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "vars.sh"), "export KRAIT_TEST_VAR=activated\n");
        Assert.Equal(127, KraitProcess.Run(["run", "-p", prefix, "krait-no-such-command"]).ExitCode);
    }

    [Fact]
    public void Sources_activate_d_scripts_first()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "activate.d"));
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "vars.sh"), "export KRAIT_TEST_VAR=activated\n");

        var result = KraitProcess.Run(["run", "-p", prefix, "sh", "-c", "echo $KRAIT_TEST_VAR; case \"$PATH\" in \"$CONDA_PREFIX/bin:\"*) echo first;; esac"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["activated", "first"], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>One activation model: what <c>krait run</c> sets is what the shell hook's activation code sets.</summary>
    [Fact]
    public void Run_activates_exactly_as_the_shell_hook_does()
    {
        const string Probe = "echo \"$CONDA_PREFIX|$CONDA_DEFAULT_ENV|$CONDA_SHLVL|$CONDA_PROMPT_MODIFIER|${PATH%%:*}\"";
        var run = KraitProcess.Run(["run", "-p", prefix, "sh", "-c", Probe]);
        Assert.True(run.ExitCode == 0, run.StandardError);

        var code = KraitProcess.Run(["shell", "activate", prefix, "--shell", "bash"]);
        Assert.True(code.ExitCode == 0, code.StandardError);
        var bash = new System.Diagnostics.ProcessStartInfo(RequiredTool.Find("bash", "apt-get install bash")) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--noprofile", "--norc", "-c", $"eval \"$1\"; {Probe}", "bash", code.StandardOutput })
        {
            bash.ArgumentList.Add(argument);
        }

        bash.Environment.Remove("CONDA_PREFIX");
        bash.Environment.Remove("CONDA_SHLVL");
        using var process = System.Diagnostics.Process.Start(bash)!;
        var hooked = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal($"{prefix}|{prefix}|1|({prefix}) |{Path.Combine(prefix, "bin")}", run.StandardOutput.Trim());
        Assert.Equal(run.StandardOutput, hooked);
    }

    [Fact]
    public void Bad_invocations_are_clear_errors()
    {
        var none = KraitProcess.Run(["run", "-p", prefix]);
        Assert.Equal(2, none.ExitCode); // a command line krait cannot read, as for every command
        Assert.Contains("no command to run", none.StandardError, StringComparison.Ordinal);
        var unknown = KraitProcess.Run(["run", "--bogus", "-p", prefix, "true"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown option '--bogus'", unknown.StandardError, StringComparison.Ordinal);

        var notEnv = KraitProcess.Run(["run", "-p", Path.GetTempPath(), "true"]);
        Assert.Equal(1, notEnv.ExitCode);
        Assert.Contains("is not a conda environment", notEnv.StandardError, StringComparison.Ordinal);
    }
}
