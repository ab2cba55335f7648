namespace Krait.Shell;

/// <summary>
/// The shell code that activates or deactivates an environment, as conda does: the environment's folders put in
/// front of PATH (the PATH from before any activation kept in <c>_KRAIT_OLD_PATH</c>, so deactivation restores it
/// exactly), <c>CONDA_PREFIX</c>, <c>CONDA_DEFAULT_ENV</c>, <c>CONDA_SHLVL</c> and <c>CONDA_PROMPT_MODIFIER</c> set, and
/// the environment's <c>etc/conda/activate.d</c> (or <c>deactivate.d</c>) scripts for this shell sourced in order.
/// Activating while another environment is active replaces it.
/// </summary>
public static class Activation
{
    public static string Activate(ShellSyntax shell, string prefix, string displayName, IReadOnlyDictionary<string, string?> environment, bool windows)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(environment);
        var lines = new List<string>();
        if (environment.GetValueOrDefault("CONDA_PREFIX") is { Length: > 0 } active)
        {
            lines.AddRange(Scripts(shell, active, "deactivate.d"));
        }

        var basePath = environment.GetValueOrDefault("_KRAIT_OLD_PATH") ?? environment.GetValueOrDefault("PATH") ?? string.Empty;
        var separator = windows ? ';' : ':';
        var folders = PathFolders(prefix, windows);
        lines.Add(shell.Export("_KRAIT_OLD_PATH", basePath));
        lines.Add(shell.Export("PATH", string.Join(separator, folders.Append(basePath).Where(p => p.Length > 0))));
        lines.Add(shell.Export("CONDA_PREFIX", prefix));
        lines.Add(shell.Export("CONDA_DEFAULT_ENV", displayName));
        lines.Add(shell.Export("CONDA_SHLVL", "1"));
        lines.Add(shell.Export("CONDA_PROMPT_MODIFIER", $"({displayName}) "));
        lines.AddRange(Scripts(shell, prefix, "activate.d"));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The folders of an environment that go in front of PATH, in conda's order.</summary>
    public static IReadOnlyList<string> PathFolders(string prefix, bool windows) => windows
        ? [prefix, Path.Combine(prefix, "Library", "mingw-w64", "bin"), Path.Combine(prefix, "Library", "usr", "bin"), Path.Combine(prefix, "Library", "bin"), Path.Combine(prefix, "Scripts"), Path.Combine(prefix, "bin")]
        : [Path.Combine(prefix, "bin")];

    public static string Deactivate(ShellSyntax shell, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.GetValueOrDefault("CONDA_PREFIX") is not { Length: > 0 } active)
        {
            return string.Empty;
        }

        var lines = new List<string>(Scripts(shell, active, "deactivate.d"));
        if (environment.GetValueOrDefault("_KRAIT_OLD_PATH") is { } oldPath)
        {
            lines.Add(shell.Export("PATH", oldPath));
        }

        foreach (var variable in new[] { "_KRAIT_OLD_PATH", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_PROMPT_MODIFIER" })
        {
            lines.Add(shell.Unset(variable));
        }

        lines.Add(shell.Export("CONDA_SHLVL", "0"));
        return string.Join('\n', lines) + "\n";
    }

    private static IEnumerable<string> Scripts(ShellSyntax shell, string prefix, string folder)
    {
        var directory = Path.Combine(prefix, "etc", "conda", folder);
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*" + shell.ScriptExtension).Order(StringComparer.Ordinal).Select(shell.Source)
            : [];
    }
}
