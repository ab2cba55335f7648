namespace Krait.Shell;

/// <summary>
/// The shell code that activates or deactivates an environment, as conda does: an <see cref="ActivationChange"/>
/// (the environment's folders put in front of PATH, <c>CONDA_PREFIX</c>, <c>CONDA_DEFAULT_ENV</c>,
/// <c>CONDA_SHLVL</c> and <c>CONDA_PROMPT_MODIFIER</c> set, the <c>etc/conda/activate.d</c> or <c>deactivate.d</c>
/// scripts for this shell sourced in order) written in one shell's syntax.
/// </summary>
public static class Activation
{
    public static string Activate(ShellSyntax shell, string prefix, string displayName, IReadOnlyDictionary<string, string?> environment, bool windows)
    {
        ArgumentNullException.ThrowIfNull(shell);
        return Render(shell, ActivationChange.Activate(prefix, displayName, environment, windows, shell.ScriptExtension));
    }

    public static string Deactivate(ShellSyntax shell, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var change = ActivationChange.Deactivate(environment, shell.ScriptExtension);
        return change.Variables.Count == 0 ? string.Empty : Render(shell, change);
    }

    private static string Render(ShellSyntax shell, ActivationChange change)
    {
        var lines = new List<string>();
        lines.AddRange(change.ScriptsBefore.Select(shell.Source));
        lines.AddRange(change.Variables.Select(v => v.Value is null ? shell.Unset(v.Key) : shell.Export(v.Key, v.Value)));
        lines.AddRange(change.ScriptsAfter.Select(shell.Source));
        return string.Join('\n', lines) + "\n";
    }
}
