namespace Krait.Conda;

/// <summary>
/// Where Krait keeps things: the root prefix (<c>~/.krait</c>, or <c>KRAIT_ROOT_PREFIX</c>), the package caches
/// and the environment folders — from the environment variables conda honours, then <c>.condarc</c>, then defaults.
/// </summary>
public sealed record KraitLocations(string RootPrefix, IReadOnlyList<string> PkgsDirs, IReadOnlyList<string> EnvsDirs)
{
    public static KraitLocations Resolve(CondaConfig config, Func<string, string?>? environment = null, string? home = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        environment ??= Environment.GetEnvironmentVariable;
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Expand(string path) => Path.GetFullPath(path.StartsWith('~') ? home + path[1..] : path);

        var root = Expand(environment("KRAIT_ROOT_PREFIX") is { Length: > 0 } prefix ? prefix : Path.Combine(home, ".krait"));
        var pkgs = FromVariable(environment, ',', "KRAIT_PKGS_DIRS", "CONDA_PKGS_DIRS")
            ?? (config.PkgsDirs.Count > 0 ? config.PkgsDirs : [Path.Combine(root, "pkgs")]);
        var envs = FromVariable(environment, Path.PathSeparator, "KRAIT_ENVS_DIRS", "CONDA_ENVS_DIRS", "CONDA_ENVS_PATH")
            ?? (config.EnvsDirs.Count > 0 ? config.EnvsDirs : [Path.Combine(root, "envs")]);
        return new KraitLocations(root, [.. pkgs.Select(Expand)], [.. envs.Select(Expand)]);
    }

    private static string[]? FromVariable(Func<string, string?> environment, char separator, params string[] names)
    {
        foreach (var name in names)
        {
            if (environment(name) is { Length: > 0 } value)
            {
                return value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }

        return null;
    }
}
