namespace Krait.Shell;

/// <summary>
/// What activating or deactivating an environment changes, in no shell's syntax: the scripts to source before
/// (the environment being left's <c>deactivate.d</c>), the variables to set (null: unset), and the scripts to source
/// after (the new environment's <c>activate.d</c>). The shell hooks render it as code (<see cref="Activation"/>);
/// <c>krait run</c> applies it to the process it starts. One model, so both agree.
/// </summary>
public sealed record ActivationChange(IReadOnlyList<string> ScriptsBefore, IReadOnlyList<KeyValuePair<string, string?>> Variables, IReadOnlyList<string> ScriptsAfter)
{
    /// <summary>Activating <paramref name="prefix"/>, shown as <paramref name="displayName"/>, from the variables of <paramref name="environment"/>; an environment already active is replaced.</summary>
    /// <param name="scriptExtension">Which activate.d/deactivate.d scripts are for this shell (<c>.sh</c>, <c>.fish</c>, …).</param>
    public static ActivationChange Activate(string prefix, string displayName, IReadOnlyDictionary<string, string?> environment, bool windows, string scriptExtension)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var active = environment.GetValueOrDefault("CONDA_PREFIX") is { Length: > 0 } current ? current : null;
        var basePath = environment.GetValueOrDefault(OldPath) ?? environment.GetValueOrDefault("PATH") ?? string.Empty;
        var separator = windows ? ';' : ':';
        var path = string.Join(separator, PathFolders(prefix, windows).Append(basePath).Where(p => p.Length > 0));
        // Replacing the active environment keeps the level; activating over none goes one up (conda's CONDA_SHLVL).
        var level = Level(environment) + (active is null ? 1 : 0);
        return new ActivationChange(
            active is null ? [] : Scripts(active, "deactivate.d", scriptExtension),
            [
                new(OldPath, basePath),
                new("PATH", path),
                new("CONDA_PREFIX", prefix),
                new("CONDA_DEFAULT_ENV", displayName),
                new("CONDA_SHLVL", level.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("CONDA_PROMPT_MODIFIER", $"({displayName}) "),
            ],
            Scripts(prefix, "activate.d", scriptExtension));
    }

    /// <summary>Deactivating the active environment of <paramref name="environment"/>; nothing when none is active.</summary>
    public static ActivationChange Deactivate(IReadOnlyDictionary<string, string?> environment, string scriptExtension)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.GetValueOrDefault("CONDA_PREFIX") is not { Length: > 0 } active)
        {
            return new ActivationChange([], [], []);
        }

        var variables = new List<KeyValuePair<string, string?>>();
        if (environment.GetValueOrDefault(OldPath) is { } oldPath)
        {
            variables.Add(new("PATH", oldPath));
        }

        foreach (var variable in new[] { OldPath, "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_PROMPT_MODIFIER" })
        {
            variables.Add(new(variable, null));
        }

        variables.Add(new("CONDA_SHLVL", Math.Max(0, Level(environment) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ActivationChange(Scripts(active, "deactivate.d", scriptExtension), variables, []);
    }

    /// <summary>The folders of an environment that go in front of PATH, in conda's order.</summary>
    public static IReadOnlyList<string> PathFolders(string prefix, bool windows) => windows
        ? [prefix, Path.Combine(prefix, "Library", "mingw-w64", "bin"), Path.Combine(prefix, "Library", "usr", "bin"), Path.Combine(prefix, "Library", "bin"), Path.Combine(prefix, "Scripts"), Path.Combine(prefix, "bin")]
        : [Path.Combine(prefix, "bin")];

    /// <summary>The PATH from before any activation, kept so that deactivation restores it exactly.</summary>
    private const string OldPath = "_KRAIT_OLD_PATH";

    private static int Level(IReadOnlyDictionary<string, string?> environment) =>
        int.TryParse(environment.GetValueOrDefault("CONDA_SHLVL"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level) ? level : 0;

    private static string[] Scripts(string prefix, string folder, string extension)
    {
        var directory = Path.Combine(prefix, "etc", "conda", folder);
        return Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "*" + extension).Order(StringComparer.Ordinal)] : [];
    }
}
