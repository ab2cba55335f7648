using Krait.Conda.Parsing;

namespace Krait.Configuration;

/// <summary>
/// Where Krait keeps things: the root prefix (<c>~/.krait</c>, or <c>KRAIT_ROOT_PREFIX</c>), the package caches
/// and the environment folders — from the environment variables conda honours, then <c>.condarc</c>, then defaults.
/// </summary>
public sealed record KraitLocations(string RootPrefix, IReadOnlyList<string> PkgsDirs, IReadOnlyList<string> EnvsDirs)
{
    /// <summary>
    /// The user's home folder: <c>HOME</c> (<c>USERPROFILE</c> on Windows) as it is, even when that folder does not
    /// exist (its <c>.condarc</c> is then simply absent), else the system's record of the user. Never empty or
    /// relative: a home that resolved to "" would make <c>~/.condarc</c> mean <c>./.condarc</c>, configuration read
    /// from whatever folder Krait is run in.
    /// </summary>
    public static string Home
    {
        get
        {
            var variable = Environment.GetEnvironmentVariable(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME");
            var home = variable is { Length: > 0 } ? variable : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(home) || !Path.IsPathFullyQualified(home))
            {
                throw new ConfigException($"the home folder is '{home}', not an absolute path: set HOME to your home folder");
            }

            return home;
        }
    }

    /// <summary>What the user's paths (a channel, a package file) are relative to: the home folder and the folder the command runs in, read once.</summary>
    public PathContext Paths { get; init; } = new(Home, Directory.GetCurrentDirectory());

    public static KraitLocations Resolve(CondaConfig config, Func<string, string?>? environment = null, string? home = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        environment ??= Environment.GetEnvironmentVariable;
        home ??= Home;
        string Expand(string path) => Path.GetFullPath(path.StartsWith('~') ? home + path[1..] : path);

        var root = Expand(environment("KRAIT_ROOT_PREFIX") is { Length: > 0 } prefix ? prefix : Path.Combine(home, ".krait"));
        var pkgs = FromVariable(environment, ',', "KRAIT_PKGS_DIRS", "CONDA_PKGS_DIRS")
            ?? (config.PkgsDirs.Count > 0 ? config.PkgsDirs : [Path.Combine(root, "pkgs")]);
        var envs = FromVariable(environment, Path.PathSeparator, "KRAIT_ENVS_DIRS", "CONDA_ENVS_DIRS", "CONDA_ENVS_PATH")
            ?? (config.EnvsDirs.Count > 0 ? config.EnvsDirs : [Path.Combine(root, "envs")]);
        return new KraitLocations(root, [.. pkgs.Select(Expand)], [.. envs.Select(Expand)]) { Paths = new PathContext(home, Directory.GetCurrentDirectory()) };
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
