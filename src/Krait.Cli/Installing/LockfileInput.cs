using Krait.Cli.Output;
using Krait.Conda.Lockfiles;

namespace Krait.Cli.Installing;

/// <summary>What <c>--lockfile</c> gives <c>create</c> and <c>install</c>: the exact conda packages of one environment and platform, or an error that says why not.</summary>
public static class LockfileInput
{
    /// <param name="alsoAsked">Whether specs or a --file came with the lockfile: refused, as it installs exactly what it locks.</param>
    public static LockedEnvironment Read(string path, string environment, string subdir, bool quiet, bool alsoAsked)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (alsoAsked)
        {
            throw new KraitException("ArgumentError", "--lockfile installs exactly what it locks: give no specs and no --file with it");
        }

        if (!File.Exists(path))
        {
            throw new KraitException("CondaFileIOError", $"{path} does not exist");
        }

        LockedEnvironment locked;
        try
        {
            locked = LockedEnvironment.For(LockFile.Parse(File.ReadAllText(path), path), environment, subdir);
        }
        catch (FormatException e)
        {
            throw new KraitException("CondaValueError", e.Message);
        }

        if (locked.FromSource.Count > 0)
        {
            throw new KraitException("CondaValueError", $"{path} locks packages pixi builds from source ({string.Join(", ", locked.FromSource.Select(p => p.Name))}); Krait installs built packages only", "build them with pixi, or lock an environment without source packages");
        }

        if (locked.Pypi.Count > 0 && !quiet)
        {
            Console.Error.WriteLine($"warning: {path} also locks {locked.Pypi.Count} PyPI package(s) ({string.Join(", ", locked.Pypi.Select(p => $"{p.Name} {p.Version}"))}): install them with pip in the environment");
        }

        return locked;
    }
}
