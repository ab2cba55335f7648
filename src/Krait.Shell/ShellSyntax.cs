namespace Krait.Shell;

/// <summary>How one shell sets, unsets and sources: the only thing activation needs to know about a shell.</summary>
public abstract class ShellSyntax
{
    public static IReadOnlyList<string> Names { get; } = ["bash", "zsh", "fish", "powershell"];

    public abstract string Name { get; }

    /// <summary>The extension of the activate.d/deactivate.d scripts this shell runs.</summary>
    public abstract string ScriptExtension { get; }

    public abstract string Export(string name, string value);

    public abstract string Unset(string name);

    public abstract string Source(string script);

    /// <summary>A literal string in this shell's syntax.</summary>
    public abstract string Quote(string value);

    /// <summary>The hook: a <c>krait</c> function that evaluates what <c>krait shell activate|deactivate</c> prints.</summary>
    public abstract string Hook(string kraitCommand);

    public static ShellSyntax For(string name) => name switch
    {
        "bash" or "zsh" or "sh" => new PosixShell(name),
        "fish" => new FishShell(),
        "powershell" or "pwsh" => new PowerShell(),
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

    public override string Hook(string kraitCommand) => $$"""
        krait() {
            case "$1" in
                activate|deactivate) eval "$({{kraitCommand}} shell "$@" --shell {{name}})" ;;
                *) {{kraitCommand}} "$@" ;;
            esac
        }
        """;

    public override string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

internal sealed class FishShell : ShellSyntax
{
    public override string Name => "fish";

    public override string ScriptExtension => ".fish";

    public override string Export(string variable, string value) => $"set -gx {variable} {Quote(value)}";

    public override string Unset(string variable) => $"set -e {variable}";

    public override string Source(string script) => $"source {Quote(script)}";

    public override string Hook(string kraitCommand) => $$"""
        function krait
            if contains -- "$argv[1]" activate deactivate
                {{kraitCommand}} shell $argv --shell fish | source
            else
                {{kraitCommand}} $argv
            end
        end
        """;

    public override string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

internal sealed class PowerShell : ShellSyntax
{
    public override string Name => "powershell";

    public override string ScriptExtension => ".ps1";

    public override string Export(string variable, string value) => $"$Env:{variable} = {Quote(value)}";

    public override string Unset(string variable) => $"Remove-Item Env:{variable} -ErrorAction SilentlyContinue";

    public override string Source(string script) => $". {Quote(script)}";

    public override string Hook(string kraitCommand) => $$"""
        function krait {
            if ($args.Count -gt 0 -and ($args[0] -eq 'activate' -or $args[0] -eq 'deactivate')) {
                (& {{kraitCommand}} shell @args --shell powershell) -join "`n" | Invoke-Expression
            } else {
                & {{kraitCommand}} @args
            }
        }
        """;

    public override string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
