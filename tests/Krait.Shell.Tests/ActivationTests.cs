using System.Diagnostics;
using Krait.TestSupport;

namespace Krait.Shell.Tests;

public sealed class ActivationTests : IDisposable
{
    private readonly string prefix = Path.Combine(Path.GetTempPath(), "krait it's env " + Guid.NewGuid().ToString("N")[..8]);

    public ActivationTests()
    {
        Directory.CreateDirectory(Path.Combine(prefix, "conda-meta"));
        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "activate.d"));
        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "deactivate.d"));
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "a.sh"), "export KRAIT_TEST_ACTIVATED=yes\n");
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "deactivate.d", "a.sh"), "unset KRAIT_TEST_ACTIVATED\nexport KRAIT_TEST_DEACTIVATED=yes\n");
    }

    public void Dispose() => Directory.Delete(prefix, recursive: true);

    [Fact]
    public void Bash_activates_and_deactivates_through_the_hook()
    {
        if (!File.Exists("/bin/bash"))
        {
            return;
        }

        var quotedPrefix = prefix.Replace("'", "'\\''", StringComparison.Ordinal);
        var script = $$"""
            eval "$(dotnet '{{KraitProcess.CliPath}}' shell hook --shell bash)"
            before="$PATH"
            krait activate '{{quotedPrefix}}'
            echo "prefix=$CONDA_PREFIX"
            echo "activated=$KRAIT_TEST_ACTIVATED"
            case "$PATH" in "$CONDA_PREFIX/bin:"*) echo "path=first";; esac
            echo "modifier=$CONDA_PROMPT_MODIFIER"
            krait deactivate
            echo "after=${CONDA_PREFIX:-none}"
            echo "deactivated=$KRAIT_TEST_DEACTIVATED activated=${KRAIT_TEST_ACTIVATED:-gone}"
            [ "$PATH" = "$before" ] && echo "path=restored"
            """;
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Remove("CONDA_PREFIX");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [$"prefix={prefix}", "activated=yes", "path=first", $"modifier=({prefix}) ", "after=none", "deactivated=yes activated=gone", "path=restored"],
            lines);
    }

    [Theory]
    [InlineData("fish", "set -gx CONDA_PREFIX '", "| source")]
    [InlineData("powershell", "$Env:CONDA_PREFIX = '", "Invoke-Expression")]
    [InlineData("zsh", "export CONDA_PREFIX='", "eval \"$(")]
    public void Every_shell_gets_code_in_its_own_syntax(string shell, string exportPrefix, string hookFragment)
    {
        var syntax = ShellSyntax.For(shell);
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };
        var code = Activation.Activate(syntax, prefix, "demo", environment, windows: false);
        Assert.Contains(exportPrefix, code, StringComparison.Ordinal);
        Assert.Contains(syntax.Quote(prefix), code, StringComparison.Ordinal);
        Assert.Contains(hookFragment, syntax.Hook("'/opt/krait'"), StringComparison.Ordinal);

        var active = new Dictionary<string, string?> { ["CONDA_PREFIX"] = prefix, ["_KRAIT_OLD_PATH"] = "/usr/bin" };
        var deactivate = Activation.Deactivate(syntax, active);
        Assert.Contains(syntax.Unset("CONDA_PREFIX"), deactivate, StringComparison.Ordinal);
        Assert.Contains(syntax.Export("PATH", "/usr/bin"), deactivate, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_shells_are_refused() =>
        Assert.Contains("unknown shell 'tcsh'", Assert.Throws<ArgumentException>(() => ShellSyntax.For("tcsh")).Message, StringComparison.Ordinal);
}
