using System.Globalization;

namespace Krait.Shell;

/// <summary>
/// What activating or deactivating an environment changes, in no shell's syntax, by conda's rules: the scripts to
/// source before (the environment being left's <c>deactivate.d</c>), the variables to set (null: unset), the
/// scripts to source after (the new environment's <c>activate.d</c>), and the prompt modifier now in force. The shell
/// hooks render it as code (<see cref="Activation"/>); <c>krait run</c> applies it to the process it starts.
/// </summary>
/// <remarks>
/// Levels as conda counts them: <c>CONDA_SHLVL</c> goes up by one with every activation, and the environment it
/// replaces is remembered as <c>CONDA_PREFIX_&lt;old level&gt;</c>, so that deactivating returns to it. Without
/// stacking the new environment's folders take the old one's place on PATH; stacked (<c>--stack</c>,
/// <c>auto_stack</c>), they go in front and the old ones stay (<c>CONDA_STACKED_&lt;level&gt;</c>). Deactivating
/// removes the environment's own PATH entries and nothing else, so folders the user added meanwhile survive.
/// </remarks>
public sealed record ActivationChange(
    IReadOnlyList<string> ScriptsBefore,
    IReadOnlyList<KeyValuePair<string, string?>> Variables,
    IReadOnlyList<string> ScriptsAfter,
    string? PromptModifier)
{
    /// <summary>Nothing to do (deactivating when no environment is active).</summary>
    public static ActivationChange None { get; } = new([], [], [], null);

    /// <summary>Activating <paramref name="prefix"/> over whatever <paramref name="environment"/> has active.</summary>
    /// <param name="name">conda's <c>CONDA_DEFAULT_ENV</c> for it: <c>base</c>, an environment's name, or its path.</param>
    /// <param name="stack">Keep the active environment's folders on PATH behind the new ones (<c>--stack</c>).</param>
    /// <param name="scriptExtension">Which activate.d/deactivate.d scripts are for this shell (<c>.sh</c>, <c>.fish</c>, …).</param>
    public static ActivationChange Activate(string prefix, string name, IReadOnlyDictionary<string, string?> environment, bool windows, string scriptExtension, bool stack = false)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var level = Level(environment);
        var active = environment.GetValueOrDefault("CONDA_PREFIX") is { Length: > 0 } current ? current : null;
        var path = PathList(environment, windows);
        var modifier = PromptModifierOf(name);
        if (active == prefix && level > 0)
        {
            // Activating the active environment again: its scripts run again, nothing else moves.
            var again = ReplacePrefix(path, prefix, prefix, windows);
            return new ActivationChange(
                Scripts(prefix, "deactivate.d", scriptExtension),
                [new("PATH", Join(again, windows)), new("CONDA_SHLVL", Text(level)), new("CONDA_PROMPT_MODIFIER", modifier)],
                Scripts(prefix, "activate.d", scriptExtension),
                modifier);
        }

        var replacing = level > 0 && active is not null && !stack;
        var newPath = replacing ? ReplacePrefix(path, active!, prefix, windows) : [.. PathFolders(prefix, windows), .. path];
        var variables = new List<KeyValuePair<string, string?>>
        {
            new("PATH", Join(newPath, windows)),
            new("CONDA_PREFIX", prefix),
            new("CONDA_SHLVL", Text(level + 1)),
            new("CONDA_DEFAULT_ENV", name),
            new("CONDA_PROMPT_MODIFIER", modifier),
        };
        if (level > 0 && active is not null)
        {
            variables.Add(new($"CONDA_PREFIX_{Text(level)}", active));
            if (stack)
            {
                variables.Add(new($"CONDA_STACKED_{Text(level + 1)}", "true"));
            }
        }

        return new ActivationChange(
            replacing ? Scripts(active!, "deactivate.d", scriptExtension) : [],
            variables,
            Scripts(prefix, "activate.d", scriptExtension),
            modifier);
    }

    /// <summary>Deactivating the active environment of <paramref name="environment"/>: back to the one it replaced or stacked on, or to none.</summary>
    /// <param name="nameOf">conda's <c>CONDA_DEFAULT_ENV</c> for the environment that becomes active again.</param>
    public static ActivationChange Deactivate(IReadOnlyDictionary<string, string?> environment, bool windows, string scriptExtension, Func<string, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(nameOf);
        var level = Level(environment);
        if (environment.GetValueOrDefault("CONDA_PREFIX") is not { Length: > 0 } active || level < 1)
        {
            return None;
        }

        var path = PathList(environment, windows);
        var newLevel = level - 1;
        if (newLevel == 0 || environment.GetValueOrDefault($"CONDA_PREFIX_{Text(newLevel)}") is not { Length: > 0 } previous)
        {
            return new ActivationChange(
                Scripts(active, "deactivate.d", scriptExtension),
                [
                    new("PATH", Join(ReplacePrefix(path, active, null, windows), windows)),
                    new("CONDA_PREFIX", null),
                    new("CONDA_SHLVL", Text(0)),
                    new("CONDA_DEFAULT_ENV", null),
                    new("CONDA_PROMPT_MODIFIER", null),
                ],
                [],
                string.Empty);
        }

        var stacked = environment.ContainsKey($"CONDA_STACKED_{Text(level)}");
        var name = nameOf(previous);
        var modifier = PromptModifierOf(name);
        var variables = new List<KeyValuePair<string, string?>>
        {
            new("PATH", Join(ReplacePrefix(path, active, stacked ? null : previous, windows), windows)),
            new($"CONDA_PREFIX_{Text(newLevel)}", null),
            new("CONDA_PREFIX", previous),
            new("CONDA_SHLVL", Text(newLevel)),
            new("CONDA_DEFAULT_ENV", name),
            new("CONDA_PROMPT_MODIFIER", modifier),
        };
        if (stacked)
        {
            variables.Add(new($"CONDA_STACKED_{Text(level)}", null));
        }

        return new ActivationChange(Scripts(active, "deactivate.d", scriptExtension), variables, Scripts(previous, "activate.d", scriptExtension), modifier);
    }

    /// <summary>The folders of an environment that go in front of PATH, in conda's order.</summary>
    public static IReadOnlyList<string> PathFolders(string prefix, bool windows) => windows
        ? [prefix, Path.Combine(prefix, "Library", "mingw-w64", "bin"), Path.Combine(prefix, "Library", "usr", "bin"), Path.Combine(prefix, "Library", "bin"), Path.Combine(prefix, "Scripts"), Path.Combine(prefix, "bin")]
        : [Path.Combine(prefix, "bin")];

    /// <summary>conda's default <c>env_prompt</c>: <c>({name}) </c>.</summary>
    public static string PromptModifierOf(string name) => $"({name}) ";

    /// <summary>
    /// PATH with the folders of <paramref name="oldPrefix"/> (from the first to the last of them that is there) taken
    /// out and those of <paramref name="newPrefix"/> (if any) put in their place, or in front when the old ones are
    /// not there: conda's rule, which leaves every other entry where it is.
    /// </summary>
    private static List<string> ReplacePrefix(List<string> path, string oldPrefix, string? newPrefix, bool windows)
    {
        var result = new List<string>(path);
        var oldFolders = PathFolders(oldPrefix, windows);
        var first = result.FindIndex(entry => SamePath(entry, oldFolders[0], windows));
        if (first < 0)
        {
            first = 0;
        }
        else
        {
            var last = -1;
            for (var i = oldFolders.Count - 1; i >= 0 && last < 0; i--)
            {
                last = result.FindIndex(entry => SamePath(entry, oldFolders[i], windows));
            }

            result.RemoveRange(first, Math.Max(last, first) - first + 1);
        }

        if (newPrefix is not null)
        {
            result.InsertRange(first, PathFolders(newPrefix, windows));
        }

        return result;
    }

    private static bool SamePath(string a, string b, bool windows) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static List<string> PathList(IReadOnlyDictionary<string, string?> environment, bool windows) =>
        [.. (environment.GetValueOrDefault("PATH") ?? string.Empty).Split(windows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries)];

    private static string Join(List<string> path, bool windows) => string.Join(windows ? ';' : ':', path);

    /// <summary>conda's activation level, <c>CONDA_SHLVL</c> (0 when unset or not a number).</summary>
    public static int Level(IReadOnlyDictionary<string, string?> environment) =>
        int.TryParse(environment.GetValueOrDefault("CONDA_SHLVL"), NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 0;

    private static string Text(int level) => level.ToString(CultureInfo.InvariantCulture);

    private static string[] Scripts(string prefix, string folder, string extension)
    {
        var directory = Path.Combine(prefix, "etc", "conda", folder);
        return Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "*" + extension).Order(StringComparer.Ordinal)] : [];
    }
}
