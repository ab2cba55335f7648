using System.Globalization;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>What activation takes from the settings and the machine, the way conda takes it.</summary>
internal static class ActivationSettings
{
    /// <summary>
    /// conda's <c>auto_stack</c> (default 0): stack implicitly while the current level (<c>CONDA_SHLVL</c>) is at most
    /// this number; <c>true</c> means 1, <c>false</c> 0.
    /// </summary>
    public static bool AutoStack(CondaConfig config, IReadOnlyDictionary<string, string?> environment)
    {
        var text = config.Scalar("auto_stack");
        var limit = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : config.Flag("auto_stack", defaultValue: false) ? 1 : 0;
        return limit > 0 && Krait.Shell.ActivationChange.Level(environment) <= limit;
    }

    /// <summary>The environment <paramref name="target"/> names: a path when it has a slash (or starts with a dot), else a name; <c>base</c> is the root prefix.</summary>
    public static Prefix Locate(string target, KraitLocations locations)
    {
        var looksLikePath = target.Contains('/', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal) || target.StartsWith('.');
        var prefix = looksLikePath ? EnvironmentLocator.Resolve(null, target, locations) : EnvironmentLocator.Resolve(target, null, locations);
        if (prefix.IsEnvironment)
        {
            return prefix;
        }

        throw target == "base"
            ? new KraitException("EnvironmentLocationNotFound", $"there is no base environment: the root prefix {prefix} holds none", $"create one with krait create -p {prefix} PACKAGES, set KRAIT_ROOT_PREFIX, or name an environment: krait activate NAME")
            : new KraitException("EnvironmentLocationNotFound", $"{prefix} is not a conda environment", "see krait env list");
    }

    /// <summary>conda's <c>CONDA_DEFAULT_ENV</c> for an environment: <c>base</c> for the root prefix, the folder's name under an envs dir, else the path.</summary>
    public static string NameOf(string prefix, KraitLocations locations)
    {
        var environment = Prefix.At(prefix);
        if (environment.Equals(Prefix.At(locations.RootPrefix)))
        {
            return "base";
        }

        var parent = Path.GetDirectoryName(environment.Path);
        return parent is not null && locations.EnvsDirs.Any(d => Prefix.At(d).Path == parent) ? Path.GetFileName(environment.Path) : environment.Path;
    }
}
