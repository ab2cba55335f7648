using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli;

/// <summary>Which environment a command means: <c>-p PATH</c>, <c>-n NAME</c> (under the envs dirs, or <c>base</c>), else the active one.</summary>
public static class EnvironmentLocator
{
    /// <param name="locations">The command's locations, from the settings it loaded once (never read again here).</param>
    public static Prefix Resolve(string? name, string? prefix, KraitLocations locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        if (name is not null && prefix is not null)
        {
            throw new KraitException("ArgumentError", "give either --name or --prefix, not both");
        }

        if (prefix is not null)
        {
            return Prefix.At(prefix);
        }

        if (name is null)
        {
            return Environment.GetEnvironmentVariable("CONDA_PREFIX") is { Length: > 0 } active
                ? Prefix.At(active)
                : throw new KraitException("ArgumentError", "no environment is active", "give --name NAME or --prefix PATH");
        }

        if (name == "base")
        {
            return Prefix.At(locations.RootPrefix);
        }

        foreach (var envs in locations.EnvsDirs)
        {
            var candidate = Path.Combine(envs, name);
            if (Directory.Exists(candidate))
            {
                return Prefix.At(candidate);
            }
        }

        throw new KraitException("EnvironmentLocationNotFound", $"no environment named '{name}' in {string.Join(", ", locations.EnvsDirs)}", "see krait env list");
    }
}
