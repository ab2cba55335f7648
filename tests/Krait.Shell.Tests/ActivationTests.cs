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
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "a.ps1"), "$Env:KRAIT_TEST_ACTIVATED = 'yes'\n");
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "deactivate.d", "a.ps1"), "Remove-Item Env:KRAIT_TEST_ACTIVATED -ErrorAction SilentlyContinue\n$Env:KRAIT_TEST_DEACTIVATED = 'yes'\n");
        Directory.CreateDirectory(second.Combine("conda-meta"));
    }

    public void Dispose()
    {
        prefix.Dispose();
        second.Dispose();
    }

    /// <summary>
    /// The real shell, through the hook a user puts in their rc file, as conda does it: activation puts the
    /// environment first on PATH, sets conda's variables and the prompt, runs activate.d; activating a second one
    /// replaces the first and counts a level (<c>CONDA_PREFIX_1</c>), <c>--stack</c> keeps the first behind it;
    /// deactivating returns to the previous environment, then to none, taking out only the environments' own PATH
    /// entries (a folder the user added meanwhile stays).
    /// </summary>
    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("pwsh")]
    public async Task A_real_shell_activates_stacks_and_deactivates_as_conda_does(string shell)
    {
        var output = await RunShell(shell, shell switch { "fish" => FishScript(), "pwsh" => PowerShellScript(), _ => PosixScript(shell) }, second.Path);
        var expected = new List<string>
        {
            $"prefix={prefix} level=1 name={prefix}", "activated=yes", "path=first",
            $"replaced={second} level=2 previous={prefix} first-gone=yes",
            $"back={prefix} level=1 extra=kept",
            "stacked=both level=2",
            $"unstacked={prefix} level=1",
            "after=none level=0", "deactivated=yes activated=gone", "path=original+extra",
        };
        if (shell is "bash" or "zsh")
        {
            expected.Insert(3, $"prompt=({prefix}) $ ");
            expected.Add("prompt=$ ");
        }
        else
        {
            // fish and PowerShell show the modifier through the prompt function the hook wraps.
            expected.Insert(3, $"prompt=({prefix}) ");
        }

        Assert.Equal(expected, output);
    }

    /// <summary>
    /// What the hook evaluates is only code Krait wrote for it: a help text is printed, not run (its
    /// <c>--shell &lt;bash|…&gt;</c> line once emptied a file named <c>bash,</c>), and a failed activation returns its
    /// status and changes nothing.
    /// </summary>
    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("pwsh")]
    public async Task The_hook_evaluates_nothing_but_activation_code(string shell)
    {
        using var folder = new TempFolder("hook").Create();
        File.WriteAllText(folder.Combine("bash,"), "precious");
        var script = shell == "pwsh"
            ? $$"""
                Set-Location -LiteralPath {{ShellSyntax.For("powershell").Quote(folder)}}
                Invoke-Expression ((& dotnet '{{KraitProcess.CliPath}}' shell hook --shell powershell) -join "`n")
                $before = $Env:PATH
                krait activate --help > help.txt
                "help=$LASTEXITCODE"
                krait activate nosuchenv 2> error.txt
                "missing=$LASTEXITCODE"
                krait activate --bogus 2> $null
                "bogus=$LASTEXITCODE"
                if ($Env:PATH -eq $before -and -not $Env:CONDA_PREFIX) { "unchanged=yes" }
                """
            : shell == "fish"
            ? $$"""
                cd {{ShellSyntax.For(shell).Quote(folder)}}
                dotnet '{{KraitProcess.CliPath}}' shell hook --shell fish | source
                set before $PATH
                krait activate --help > help.txt
                echo "help=$status"
                krait activate nosuchenv 2> /dev/null
                echo "missing=$status"
                krait activate --bogus 2> /dev/null
                echo "bogus=$status"
                if test (string join : $PATH) = (string join : $before); and not set -q CONDA_PREFIX; echo "unchanged=yes"; end
                """
            : $$"""
                cd {{ShellSyntax.For(shell).Quote(folder)}}
                eval "$(dotnet '{{KraitProcess.CliPath}}' shell hook --shell {{shell}})"
                before="$PATH"
                krait activate --help > help.txt
                echo "help=$?"
                krait activate nosuchenv 2> error.txt
                echo "missing=$?"
                krait activate --bogus 2> /dev/null
                echo "bogus=$?"
                [ "$PATH" = "$before" ] && [ -z "${CONDA_PREFIX:-}" ] && echo "unchanged=yes"
                """;
        var output = await RunShell(shell, script, null);
        Assert.Equal(["help=0", "missing=1", "bogus=2", "unchanged=yes"], output);
        Assert.Equal("precious", File.ReadAllText(folder.Combine("bash,")));
        Assert.Contains("--stack", File.ReadAllText(folder.Combine("help.txt")), StringComparison.Ordinal);
        if (shell != "fish")
        {
            // fish sends the stderr of a command substitution inside a function to its own stderr, whatever the call's redirection says.
            Assert.Contains("nosuchenv", File.ReadAllText(folder.Combine("error.txt")), StringComparison.Ordinal);
        }

        Assert.Equal(shell == "fish" ? ["bash,", "help.txt"] : ["bash,", "error.txt", "help.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private readonly TempFolder second = new TempFolder("env b").Create();

    private static async Task<string[]> RunShell(string shell, string script, string? envsDir)
    {
        var program = RequiredTool.Find(shell, shell == "pwsh" ? "dotnet tool install --tool-path DIR PowerShell --version 7.6.9, then DIR on PATH" : $"apt-get install {shell}");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in shell switch
        {
            "bash" => new[] { "--noprofile", "--norc", "-c", script },
            "zsh" => ["-f", "-c", script],
            "pwsh" => ["-NoProfile", "-NonInteractive", "-Command", script],
            _ => ["--no-config", "-c", script],
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "CONDA_PREFIX", "CONDA_SHLVL", "CONDA_DEFAULT_ENV", "CONDA_PROMPT_MODIFIER", "CONDA_PREFIX_1", "CONDA_STACKED_2", "CONDARC", "CONDA_ENVS_PATH", "CONDA_ENVS_DIRS" })
        {
            start.Environment.Remove(variable);
        }

        using var home = new TempFolder("home").Create();
        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = home.Combine(".config");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string PosixScript(string shell) => $$"""
        eval "$(dotnet '{{KraitProcess.CliPath}}' shell hook --shell {{shell}})"
        PS1='$ '
        original="$PATH"
        krait activate {{ShellSyntax.For(shell).Quote(prefix)}}
        echo "prefix=$CONDA_PREFIX level=$CONDA_SHLVL name=$CONDA_DEFAULT_ENV"
        echo "activated=$KRAIT_TEST_ACTIVATED"
        case "$PATH" in "$CONDA_PREFIX/bin:"*) echo "path=first";; esac
        echo "prompt=$PS1"
        krait activate {{ShellSyntax.For(shell).Quote(second)}}
        case ":$PATH:" in *":$CONDA_PREFIX_1/bin:"*) gone=no;; *) gone=yes;; esac
        echo "replaced=$CONDA_PREFIX level=$CONDA_SHLVL previous=$CONDA_PREFIX_1 first-gone=$gone"
        PATH="$PATH:/krait-test-extra"
        krait deactivate
        case "$PATH" in "$CONDA_PREFIX/bin:"*":/krait-test-extra") extra=kept;; *) extra="lost: $PATH";; esac
        echo "back=$CONDA_PREFIX level=$CONDA_SHLVL extra=$extra"
        krait activate --stack {{ShellSyntax.For(shell).Quote(second)}}
        case "$PATH" in "$CONDA_PREFIX/bin:$CONDA_PREFIX_1/bin:"*) both=both;; *) both="no: $PATH";; esac
        echo "stacked=$both level=$CONDA_SHLVL"
        krait deactivate
        echo "unstacked=$CONDA_PREFIX level=$CONDA_SHLVL"
        krait deactivate
        echo "after=${CONDA_PREFIX:-none} level=$CONDA_SHLVL"
        echo "deactivated=$KRAIT_TEST_DEACTIVATED activated=${KRAIT_TEST_ACTIVATED:-gone}"
        [ "$PATH" = "$original:/krait-test-extra" ] && echo "path=original+extra"
        echo "prompt=$PS1"
        """;

    // fish keeps PATH as a list (quoted, a path variable joins with ':' and a plain one with spaces); its prompt is a
    // function, which the hook wraps.
    private string FishScript() => $$"""
        dotnet '{{KraitProcess.CliPath}}' shell hook --shell fish | source
        set original (string join : $PATH)
        krait activate {{ShellSyntax.For("fish").Quote(prefix)}}
        echo "prefix=$CONDA_PREFIX level=$CONDA_SHLVL name=$CONDA_DEFAULT_ENV"
        echo "activated=$KRAIT_TEST_ACTIVATED"
        if test "$PATH[1]" = "$CONDA_PREFIX/bin"; echo "path=first"; end
        echo "prompt="(fish_prompt | string sub -l (string length -- "$CONDA_PROMPT_MODIFIER"))
        krait activate {{ShellSyntax.For("fish").Quote(second)}}
        if contains -- "$CONDA_PREFIX_1/bin" $PATH; set gone no; else; set gone yes; end
        echo "replaced=$CONDA_PREFIX level=$CONDA_SHLVL previous=$CONDA_PREFIX_1 first-gone=$gone"
        set -gx PATH $PATH /krait-test-extra
        krait deactivate
        if test "$PATH[1]" = "$CONDA_PREFIX/bin"; and test "$PATH[-1]" = /krait-test-extra; set extra kept; else; set extra lost; end
        echo "back=$CONDA_PREFIX level=$CONDA_SHLVL extra=$extra"
        krait activate --stack {{ShellSyntax.For("fish").Quote(second)}}
        if test "$PATH[1]" = "$CONDA_PREFIX/bin"; and test "$PATH[2]" = "$CONDA_PREFIX_1/bin"; set both both; else; set both no; end
        echo "stacked=$both level=$CONDA_SHLVL"
        krait deactivate
        echo "unstacked=$CONDA_PREFIX level=$CONDA_SHLVL"
        krait deactivate
        if set -q CONDA_PREFIX; echo "after=$CONDA_PREFIX level=$CONDA_SHLVL"; else; echo "after=none level=$CONDA_SHLVL"; end
        if set -q KRAIT_TEST_ACTIVATED; set still $KRAIT_TEST_ACTIVATED; else; set still gone; end
        echo "deactivated=$KRAIT_TEST_DEACTIVATED activated=$still"
        if test (string join : $PATH) = "$original:/krait-test-extra"; echo "path=original+extra"; end
        """;

    // PowerShell's prompt is a function, which the hook wraps; its PATH is one string, as in bash.
    private string PowerShellScript() => $$"""
        Invoke-Expression ((& dotnet '{{KraitProcess.CliPath}}' shell hook --shell powershell) -join "`n")
        $original = $Env:PATH
        krait activate {{ShellSyntax.For("powershell").Quote(prefix)}}
        "prefix=$Env:CONDA_PREFIX level=$Env:CONDA_SHLVL name=$Env:CONDA_DEFAULT_ENV"
        "activated=$Env:KRAIT_TEST_ACTIVATED"
        if ($Env:PATH.StartsWith("$Env:CONDA_PREFIX/bin:")) { "path=first" }
        "prompt=" + (prompt).Substring(0, $Env:CONDA_PROMPT_MODIFIER.Length)
        krait activate {{ShellSyntax.For("powershell").Quote(second)}}
        $gone = if ((":" + $Env:PATH + ":").Contains(":$Env:CONDA_PREFIX_1/bin:")) { "no" } else { "yes" }
        "replaced=$Env:CONDA_PREFIX level=$Env:CONDA_SHLVL previous=$Env:CONDA_PREFIX_1 first-gone=$gone"
        $Env:PATH = "$Env:PATH" + ":/krait-test-extra"
        krait deactivate
        $extra = if ($Env:PATH.StartsWith("$Env:CONDA_PREFIX/bin:") -and $Env:PATH.EndsWith(":/krait-test-extra")) { "kept" } else { "lost" }
        "back=$Env:CONDA_PREFIX level=$Env:CONDA_SHLVL extra=$extra"
        krait activate --stack {{ShellSyntax.For("powershell").Quote(second)}}
        $both = if ($Env:PATH.StartsWith("$Env:CONDA_PREFIX/bin:$Env:CONDA_PREFIX_1/bin:")) { "both" } else { "no" }
        "stacked=$both level=$Env:CONDA_SHLVL"
        krait deactivate
        "unstacked=$Env:CONDA_PREFIX level=$Env:CONDA_SHLVL"
        krait deactivate
        $after = if ($Env:CONDA_PREFIX) { $Env:CONDA_PREFIX } else { "none" }
        "after=$after level=$Env:CONDA_SHLVL"
        $still = if ($Env:KRAIT_TEST_ACTIVATED) { $Env:KRAIT_TEST_ACTIVATED } else { "gone" }
        "deactivated=$Env:KRAIT_TEST_DEACTIVATED activated=$still"
        if ($Env:PATH -eq "$original" + ":/krait-test-extra") { "path=original+extra" }
        """;

    // The code is also checked for the statements it must hold, without a shell.
    [Fact]
    public void PowerShell_gets_code_in_its_own_syntax()
    {
        var syntax = ShellSyntax.For("powershell");
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };
        var code = Activation.Render(syntax, ActivationChange.Activate(prefix, "demo", environment, windows: false, syntax.ScriptExtension), environment, changePrompt: true);
        Assert.StartsWith(Activation.Marker + "\n", code, StringComparison.Ordinal);
        Assert.Contains("$Env:CONDA_PREFIX = " + syntax.Quote(prefix), code, StringComparison.Ordinal);
        var hook = syntax.Hook("'/opt/krait'", changePrompt: true);
        Assert.Contains("$LASTEXITCODE -ne 0", hook, StringComparison.Ordinal);
        Assert.Contains(syntax.Quote(Activation.Marker), hook, StringComparison.Ordinal);
        Assert.Contains("function global:prompt", hook, StringComparison.Ordinal);
        Assert.DoesNotContain("function global:prompt", syntax.Hook("'/opt/krait'", changePrompt: false), StringComparison.Ordinal);

        var active = new Dictionary<string, string?> { ["CONDA_PREFIX"] = prefix, ["CONDA_SHLVL"] = "1", ["PATH"] = $"{prefix}/bin:/usr/bin" };
        var deactivate = Activation.Render(syntax, ActivationChange.Deactivate(active, windows: false, syntax.ScriptExtension, p => p), active, changePrompt: true);
        Assert.Contains(syntax.Unset("CONDA_PREFIX"), deactivate, StringComparison.Ordinal);
        Assert.Contains(syntax.Export("PATH", "/usr/bin"), deactivate, StringComparison.Ordinal);
    }

    /// <summary>
    /// cmd.exe (no cmd.exe here to run it): batch lines with CRLF, the marker as a REM, % doubled so that a value
    /// stays literal, activate.d's .bat scripts CALLed, the prompt in PROMPT, and a hook that is a batch file
    /// making a DOSKEY macro and CALLing the code only after krait succeeded and wrote the marker.
    /// </summary>
    [Fact]
    public void Cmd_exe_gets_batch_code_and_a_doskey_hook()
    {
        File.WriteAllText(Path.Combine(prefix, "etc", "conda", "activate.d", "a.bat"), "@SET KRAIT_TEST_ACTIVATED=yes\r\n");
        var syntax = ShellSyntax.For("cmd.exe");
        Assert.Same(syntax.GetType(), ShellSyntax.For("cmd").GetType());
        var environment = new Dictionary<string, string?> { ["PATH"] = @"C:\Windows;C:\100%Tools", ["PROMPT"] = "$P$G" };
        var code = Activation.Render(syntax, ActivationChange.Activate(prefix, "demo", environment, windows: true, syntax.ScriptExtension), environment, changePrompt: true);
        var lines = code.Split("\r\n");
        Assert.Equal($"@REM {Activation.Marker}", lines[0]);
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains('\n', StringComparison.Ordinal));
        Assert.Contains($"@SET \"CONDA_PREFIX={prefix}\"", lines);
        Assert.Contains($"@SET \"PATH={string.Join(';', ActivationChange.PathFolders(prefix, windows: true))};C:\\Windows;C:\\100%%Tools\"", lines);
        Assert.Contains("@SET \"PROMPT=(demo) $P$G\"", lines);
        Assert.Equal($"@CALL \"{Path.Combine(prefix, "etc", "conda", "activate.d", "a.bat")}\"", lines[^2]);

        var active = new Dictionary<string, string?> { ["CONDA_PREFIX"] = prefix, ["CONDA_SHLVL"] = "1", ["PATH"] = @"C:\Windows", ["CONDA_PROMPT_MODIFIER"] = "(demo) " };
        var deactivate = Activation.Render(syntax, ActivationChange.Deactivate(active, windows: true, syntax.ScriptExtension, p => p), active, changePrompt: true);
        Assert.Contains("\r\n@SET CONDA_PREFIX=\r\n", deactivate, StringComparison.Ordinal);

        var hook = syntax.Hook("\"C:\\krait\\krait.exe\"", changePrompt: true);
        Assert.DoesNotContain(hook.Replace("\r\n", string.Empty, StringComparison.Ordinal), "\n", StringComparison.Ordinal);
        Assert.Contains("DOSKEY krait=CALL \"%~f0\" krait $*", hook, StringComparison.Ordinal);
        Assert.Contains("\"C:\\krait\\krait.exe\" shell %__krait_arguments% --shell cmd.exe > \"%__krait_script%\"", hook, StringComparison.Ordinal);
        Assert.Contains($"FINDSTR /B /C:\"@REM {Activation.Marker}\"", hook, StringComparison.Ordinal);
        Assert.True(hook.IndexOf("ENDLOCAL & SET", StringComparison.Ordinal) < hook.IndexOf("CALL \"%__krait_script%\"", StringComparison.Ordinal));

        // Through the command line, as a user gets it.
        var printed = KraitProcess.Run(["shell", "hook", "--shell", "cmd.exe"]);
        Assert.Equal(0, printed.ExitCode);
        Assert.StartsWith("@ECHO OFF\r\n", printed.StandardOutput, StringComparison.Ordinal);
        var activation = KraitProcess.Run(["shell", "activate", prefix, "--shell", "cmd.exe"]);
        Assert.Equal(0, activation.ExitCode);
        Assert.StartsWith($"@REM {Activation.Marker}\r\n", activation.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>On Windows the environment's six folders move as one block, and the user's own entries around them stay.</summary>
    [Fact]
    public void Windows_folders_are_replaced_as_one_block()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = @"C:\Windows;C:\Tools" };
        var first = ActivationChange.Activate(@"C:\envs\a", "a", environment, windows: true, ".bat");
        var afterFirst = Value(first, "PATH");
        Assert.Equal(string.Join(';', ActivationChange.PathFolders(@"C:\envs\a", windows: true)) + @";C:\Windows;C:\Tools", afterFirst);

        var active = new Dictionary<string, string?> { ["PATH"] = afterFirst + @";D:\Mine", ["CONDA_PREFIX"] = @"C:\envs\a", ["CONDA_SHLVL"] = "1" };
        var replaced = ActivationChange.Activate(@"C:\envs\b", "b", active, windows: true, ".bat");
        Assert.Equal(string.Join(';', ActivationChange.PathFolders(@"C:\envs\b", windows: true)) + @";C:\Windows;C:\Tools;D:\Mine", Value(replaced, "PATH"));
        Assert.Equal(@"C:\envs\a", Value(replaced, "CONDA_PREFIX_1"));
        Assert.Equal("2", Value(replaced, "CONDA_SHLVL"));
    }

    private static string? Value(ActivationChange change, string variable) => change.Variables.Single(v => v.Key == variable).Value;

    [Fact]
    public void Unknown_shells_are_refused() =>
        Assert.Contains("unknown shell 'tcsh'", Assert.Throws<ArgumentException>(() => ShellSyntax.For("tcsh")).Message, StringComparison.Ordinal);

    /// <summary>Without an argument, activation means base, as in conda; where there is none, it says so and fails.</summary>
    [Fact]
    public void Activate_without_an_environment_means_base()
    {
        var missing = KraitProcess.Run(["shell", "activate", "--shell", "bash"], new Dictionary<string, string> { ["KRAIT_ROOT_PREFIX"] = second.Combine("nothing-here") });
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("there is no base environment", missing.StandardError, StringComparison.Ordinal);
        Assert.Empty(missing.StandardOutput);

        var based = KraitProcess.Run(["shell", "activate", "--shell", "bash"], new Dictionary<string, string> { ["KRAIT_ROOT_PREFIX"] = prefix });
        Assert.True(based.ExitCode == 0, based.StandardError);
        Assert.StartsWith(Activation.Marker + "\n", based.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("export CONDA_DEFAULT_ENV='base'", based.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("export CONDA_PROMPT_MODIFIER='(base) '", based.StandardOutput, StringComparison.Ordinal);
    }
}
