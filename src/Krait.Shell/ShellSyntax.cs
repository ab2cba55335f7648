namespace Krait.Shell;

/// <summary>How one shell sets, unsets and sources: the only thing activation needs to know about a shell.</summary>
public abstract class ShellSyntax
{
    public static IReadOnlyList<string> Names { get; } = ["bash", "zsh", "fish", "powershell", "cmd.exe"];

    public abstract string Name { get; }

    /// <summary>The extension of the activate.d/deactivate.d scripts this shell runs.</summary>
    public abstract string ScriptExtension { get; }

    public abstract string Export(string name, string value);

    public abstract string Unset(string name);

    public abstract string Source(string script);

    /// <summary>A literal string in this shell's syntax.</summary>
    public abstract string Quote(string value);

    /// <summary><see cref="Activation.Marker"/> as a line this shell passes over (a comment).</summary>
    public virtual string MarkerLine => Activation.Marker;

    /// <summary>Between the lines of activation code.</summary>
    public virtual string NewLine => "\n";

    /// <summary>
    /// The hook: a <c>krait</c> function that evaluates what <c>krait shell activate|deactivate</c> prints, and only
    /// when that command succeeded and printed activation code (<see cref="Activation.Marker"/>); anything else it
    /// prints (a help text) and returns the command's status.
    /// </summary>
    /// <param name="changePrompt">conda's <c>changeps1</c>, for shells whose prompt is a function the hook wraps.</param>
    public abstract string Hook(string kraitCommand, bool changePrompt);

    /// <summary>
    /// The line that sets the prompt to <paramref name="modifier"/> in front of the current one (without the modifier
    /// in force before), or null for shells whose hook shows the modifier through the prompt function.
    /// </summary>
    public virtual string? Prompt(string modifier, IReadOnlyDictionary<string, string?> environment) => null;

    public static ShellSyntax For(string name) => name switch
    {
        "bash" or "zsh" or "sh" => new PosixShell(name),
        "fish" => new FishShell(),
        "powershell" or "pwsh" => new PowerShell(),
        "cmd.exe" or "cmd" => new CmdExe(),
        _ => throw new ArgumentException($"unknown shell '{name}'; Krait supports {string.Join(", ", Names)}", nameof(name)),
    };
}

internal sealed class PosixShell(string name) : ShellSyntax
{
    public override string Name => name;

    public override string ScriptExtension => ".sh";

    public override string Export(string variable, string value) => $"export {variable}={Quote(value)}";

    public override string Unset(string variable) => $"unset {variable}";

    public override string Source(string script) => $". {Quote(script)}";

    // PS1 is a shell variable, not exported: the hook hands it over so that the new prompt keeps the user's.
    public override string Hook(string kraitCommand, bool changePrompt) => $$"""
        krait() {
            case "$1" in
                activate|deactivate)
                    \local __krait_code __krait_status
                    __krait_code="$(PS1="${PS1:-}" {{kraitCommand}} shell "$@" --shell {{name}})"
                    __krait_status=$?
                    [ $__krait_status -eq 0 ] || \return $__krait_status
                    case "$__krait_code" in
                        "{{Activation.Marker}}"*) \eval "$__krait_code" ;;
                        *) [ -z "$__krait_code" ] || \printf '%s\n' "$__krait_code" ;;
                    esac
                    ;;
                *) {{kraitCommand}} "$@" ;;
            esac
        }
        """;

    /// <summary>conda's rule: the old modifier taken out of PS1 wherever it is, the new one put in front.</summary>
    public override string? Prompt(string modifier, IReadOnlyDictionary<string, string?> environment)
    {
        var prompt = environment.GetValueOrDefault("PS1") ?? string.Empty;
        if (environment.GetValueOrDefault("CONDA_PROMPT_MODIFIER") is { Length: > 0 } old)
        {
            prompt = prompt.Replace(old, string.Empty, StringComparison.Ordinal);
        }

        return $"PS1={Quote(modifier + prompt)}";
    }

    public override string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

internal sealed class FishShell : ShellSyntax
{
    public override string Name => "fish";

    public override string ScriptExtension => ".fish";

    public override string Export(string variable, string value) => $"set -gx {variable} {Quote(value)}";

    public override string Unset(string variable) => $"set -e {variable}";

    public override string Source(string script) => $"source {Quote(script)}";

    public override string Hook(string kraitCommand, bool changePrompt) => $$"""
        function krait
            if contains -- "$argv[1]" activate deactivate
                set -l code ({{kraitCommand}} shell $argv --shell fish)
                set -l code_status $status
                test $code_status -eq 0; or return $code_status
                if test "$code[1]" = {{Quote(Activation.Marker)}}
                    string join \n -- $code | source
                else if test (count $code) -gt 0
                    printf '%s\n' $code
                end
            else
                {{kraitCommand}} $argv
            end
        end
        """ + (changePrompt ? """

        if not functions -q __krait_original_prompt; and functions -q fish_prompt
            functions -c fish_prompt __krait_original_prompt
            function fish_prompt
                printf '%s' "$CONDA_PROMPT_MODIFIER"
                __krait_original_prompt
            end
        end
        """ : string.Empty);

    public override string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

internal sealed class PowerShell : ShellSyntax
{
    public override string Name => "powershell";

    public override string ScriptExtension => ".ps1";

    public override string Export(string variable, string value) => $"$Env:{variable} = {Quote(value)}";

    public override string Unset(string variable) => $"Remove-Item Env:{variable} -ErrorAction SilentlyContinue";

    public override string Source(string script) => $". {Quote(script)}";

    public override string Hook(string kraitCommand, bool changePrompt) => $$"""
        function krait {
            if ($args.Count -gt 0 -and ($args[0] -eq 'activate' -or $args[0] -eq 'deactivate')) {
                $code = @(& {{kraitCommand}} shell @args --shell powershell)
                if ($LASTEXITCODE -ne 0) { return }
                if ($code.Count -gt 0 -and $code[0] -eq {{Quote(Activation.Marker)}}) {
                    ($code -join "`n") | Invoke-Expression
                } else {
                    $code
                }
            } else {
                & {{kraitCommand}} @args
            }
        }
        """ + (changePrompt ? """

        if (-not (Test-Path Function:\__krait_original_prompt)) {
            Copy-Item Function:\prompt Function:\__krait_original_prompt
            function global:prompt { "$Env:CONDA_PROMPT_MODIFIER" + (__krait_original_prompt) }
        }
        """ : string.Empty);

    public override string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
