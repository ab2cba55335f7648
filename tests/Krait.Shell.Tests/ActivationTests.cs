using System.Diagnostics;
using Krait.TestSupport;

namespace Krait.Shell.Tests;

public sealed class ActivationTests : IDisposable
{
    private readonly TempFolder prefix = new("it's env");

    public ActivationTests()
    {
        Directory.CreateDirectory(Path.Combine(prefix, "conda-meta"));
        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "activate.d"));
        Directory.CreateDirectory(Path.Combine(prefix, "etc", "conda", "deactivate.d"));
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "a.sh"), "export KRAIT_TEST_ACTIVATED=yes\n");
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "deactivate.d", "a.sh"), "unset KRAIT_TEST_ACTIVATED\nexport KRAIT_TEST_DEACTIVATED=yes\n");
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "a.fish"), "set -gx KRAIT_TEST_ACTIVATED yes\n");
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "deactivate.d", "a.fish"), "set -e KRAIT_TEST_ACTIVATED\nset -gx KRAIT_TEST_DEACTIVATED yes\n");
    }

    public void Dispose() => prefix.Dispose();

    /// <summary>
    /// The real shell, through the hook a user puts in their rc file: activation puts the environment first on PATH,
    /// sets conda's variables and runs the environment's activate.d scripts; deactivation undoes all of it.
    /// </summary>
    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public async Task A_real_shell_activates_and_deactivates_through_the_hook(string shell)
    {
        var program = RequiredTool.Find(shell, $"apt-get install {shell}");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in shell switch
        {
            "bash" => new[] { "--noprofile", "--norc", "-c", PosixScript("bash") },
            "zsh" => ["-f", "-c", PosixScript("zsh")],
            _ => ["--no-config", "-c", FishScript()],
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CONDA_PREFIX");
        start.Environment.Remove("_KRAIT_OLD_PATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        Assert.Equal(
            [$"prefix={prefix}", "activated=yes", "path=first", $"modifier=({prefix}) ", "after=none", "deactivated=yes activated=gone", "path=restored"],
            (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private string PosixScript(string shell) => $$"""
        eval "$(dotnet '{{KraitProcess.CliPath}}' shell hook --shell {{shell}})"
        before="$PATH"
        krait activate {{ShellSyntax.For(shell).Quote(prefix)}}
        echo "prefix=$CONDA_PREFIX"
        echo "activated=$KRAIT_TEST_ACTIVATED"
        case "$PATH" in "$CONDA_PREFIX/bin:"*) echo "path=first";; esac
        echo "modifier=$CONDA_PROMPT_MODIFIER"
        krait deactivate
        echo "after=${CONDA_PREFIX:-none}"
        echo "deactivated=$KRAIT_TEST_DEACTIVATED activated=${KRAIT_TEST_ACTIVATED:-gone}"
        [ "$PATH" = "$before" ] && echo "path=restored"
        """;

    // fish keeps PATH as a list (quoted, a path variable joins with ':' and a plain one with spaces): the environment's
    // bin must be its first element, and the list must come back whole.
    private string FishScript() => $$"""
        dotnet '{{KraitProcess.CliPath}}' shell hook --shell fish | source
        set before $PATH
        krait activate {{ShellSyntax.For("fish").Quote(prefix)}}
        echo "prefix=$CONDA_PREFIX"
        echo "activated=$KRAIT_TEST_ACTIVATED"
        if test "$PATH[1]" = "$CONDA_PREFIX/bin"; echo "path=first"; end
        echo "modifier=$CONDA_PROMPT_MODIFIER"
        krait deactivate
        if set -q CONDA_PREFIX; echo "after=$CONDA_PREFIX"; else; echo "after=none"; end
        if set -q KRAIT_TEST_ACTIVATED; set still $KRAIT_TEST_ACTIVATED; else; set still gone; end
        echo "deactivated=$KRAIT_TEST_DEACTIVATED activated=$still"
        if test (string join : $PATH) = (string join : $before); echo "path=restored"; end
        """;

    // PowerShell is not in Debian, so no real pwsh runs here: its code is checked for the statements it must hold.
    [Theory]
    [InlineData("powershell", "$Env:CONDA_PREFIX = '", "Invoke-Expression")]
    public void PowerShell_gets_code_in_its_own_syntax(string shell, string exportPrefix, string hookFragment)
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
