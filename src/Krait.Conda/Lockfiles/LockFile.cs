namespace Krait.Conda.Lockfiles;

/// <summary>What kind of package a lockfile entry is: a conda archive to install, a PyPI distribution (for pip), or a conda package pixi builds from source.</summary>
public enum LockedPackageKind
{
    Conda,
    Pypi,
    CondaSource,
}

/// <summary>
/// One locked package of one platform (<see cref="Platform"/>: the package's own subdir, <c>noarch</c> for a noarch
/// package; for PyPI entries the lockfile platform): where it comes from (<see cref="Location"/>: a URL, or a path for pixi's
/// local and source packages), its identity, checksums, dependencies (MatchSpec strings) and, for conda-lock, its
/// category and whether it is optional.
/// </summary>
public sealed record LockedPackage(
    LockedPackageKind Kind,
    string Platform,
    string Name,
    string Version,
    string? Build,
    string Location,
    string? Sha256,
    string? Md5,
    IReadOnlyList<string> Depends,
    string Category,
    bool Optional,
    long? Size);

/// <summary>One environment of a lockfile: its channels and, per platform, its packages.</summary>
public sealed record LockEnvironment(IReadOnlyList<string> Channels, IReadOnlyDictionary<string, IReadOnlyList<LockedPackage>> Packages);

/// <summary>
/// A lockfile as Krait reads it, whichever tool wrote it: conda-lock's <c>conda-lock.yml</c> (version 1, one
/// environment, <c>default</c>) or pixi's <c>pixi.lock</c> (versions 6 and 7, named environments). Environments
/// list packages by the lockfile's platform names; pixi 7 may name a platform other than its conda subdir
/// (<see cref="Subdirs"/>), and each package carries its subdir.
/// </summary>
public sealed record LockFile(
    string Format,
    IReadOnlyList<string> Platforms,
    IReadOnlyDictionary<string, string> Subdirs,
    IReadOnlyDictionary<string, LockEnvironment> Environments,
    IReadOnlyDictionary<string, string> ContentHashes)
{
    public const string DefaultEnvironment = "default";

    /// <summary>Reads a lockfile of either format; a malformed one is a <see cref="FormatException"/> naming the file, line and what is wrong.</summary>
    public static LockFile Parse(string yaml, string source)
    {
        var root = LockYaml.Root(yaml, source);
        if (root.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode("environments")))
        {
            return PixiLock.Read(root, source);
        }

        if (root.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode("package")))
        {
            return CondaLock.Read(root, source);
        }

        throw new FormatException($"{source}: not a lockfile Krait knows: neither conda-lock's (metadata, package) nor pixi's (version, environments, packages)");
    }
}
