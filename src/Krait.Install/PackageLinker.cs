using System.Security.Cryptography;
using Krait.Conda;
using Krait.Packages;

namespace Krait.Install;

/// <summary>
/// What the linking of one transaction's packages shares: the folders known to exist (so each is made once, not
/// once per file) and the paths more than one of its packages writes.
/// </summary>
public sealed class LinkSession(IReadOnlySet<string> writtenTwice)
{
    public HashSet<string> KnownDirectories { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<string> WrittenTwice { get; } = writtenTwice;
}

/// <summary>One file as linked into a prefix, for <c>conda-meta/*.json</c> (<c>paths_data</c>).</summary>
public sealed record LinkedPath(string Path, string PathType, string? Sha256, string? Sha256InPrefix, long? SizeInBytes, string? FileMode, string? PrefixPlaceholder);

/// <summary>
/// Links an extracted package into an environment in two steps: <see cref="Plan"/> says which paths it will create
/// (so a transaction can journal them before touching anything), <see cref="Apply"/> creates them: hard links where
/// possible, copies otherwise (always for <c>no_link</c> files and for files whose prefix placeholder is rewritten),
/// symlinks as symlinks. The package's own metadata is untrusted: every path must stay inside the environment.
/// </summary>
public static class PackageLinker
{
    /// <param name="extracted">The package folder in the cache.</param>
    /// <param name="python">The environment's python, needed for <c>noarch: python</c> packages.</param>
    public static IReadOnlyList<LinkAction> Plan(PackageRecord record, string extracted, PythonLayout? python)
    {
        ArgumentNullException.ThrowIfNull(record);
        var noarchPython = record.NoArch == NoArchType.Python;
        if (noarchPython && python is null)
        {
            throw new InstallException($"{record} is a noarch: python package, but the environment has no python to install it into");
        }

        var context = $"{record} (info/paths.json)";
        var actions = new List<LinkAction>();
        foreach (var entry in PackageContents.ReadEntries(extracted))
        {
            var packagePath = PrefixPaths.Check(entry.Path, context);
            var target = PrefixPaths.Check(noarchPython ? python!.Map(packagePath) : packagePath, context);
            var kind = entry.PathType switch
            {
                "directory" => LinkKind.Directory,
                "softlink" => LinkKind.Softlink,
                _ => LinkKind.File,
            };
            actions.Add(new LinkAction(target, kind, PrefixPaths.Under(extracted, packagePath), entry));
        }

        if (noarchPython)
        {
            foreach (var point in EntryPoints.Read(extracted))
            {
                var path = EntryPoints.PathOf(python!, point);
                actions.Add(new LinkAction(path, LinkKind.EntryPoint, null, new PathEntry { Path = path }, point));
            }
        }

        return actions;
    }

    /// <summary>
    /// Creates the planned paths in the environment at <paramref name="prefix"/> (its final path, written into files in
    /// place of the placeholder). The transaction has cleared every target path beforehand, except those that several
    /// of its packages write (<see cref="LinkSession.WrittenTwice"/>, a clobber: the later package wins, as in conda).
    /// </summary>
    public static IReadOnlyList<LinkedPath> Apply(PackageRecord record, IReadOnlyList<LinkAction> actions, string prefix, PythonLayout? python, LinkSession session)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(session);
        var linked = new List<LinkedPath>(actions.Count);
        foreach (var action in actions)
        {
            var target = PrefixPaths.Under(prefix, action.TargetPath);
            var parent = Path.GetDirectoryName(target)!;
            if (session.KnownDirectories.Add(parent))
            {
                Directory.CreateDirectory(parent);
            }

            if (action.Kind != LinkKind.Directory && session.WrittenTwice.Contains(action.TargetPath))
            {
                Transactions.TransactionRecovery.DeletePath(target);
            }

            var entry = action.Entry;
            switch (action.Kind)
            {
                case LinkKind.Directory:
                    Directory.CreateDirectory(target);
                    linked.Add(new LinkedPath(action.TargetPath, "directory", null, null, null, null, null));
                    continue;
                case LinkKind.EntryPoint:
                    EntryPoints.Write(prefix, python!, action.EntryPoint!);
                    linked.Add(new LinkedPath(action.TargetPath, "hardlink", null, null, null, null, null));
                    continue;
                case LinkKind.Softlink when new FileInfo(action.Source!).LinkTarget is { } linkTarget:
                    var resolved = Path.GetFullPath(Path.Combine(parent, linkTarget));
                    if (Path.IsPathRooted(linkTarget) || !resolved.StartsWith(Path.GetFullPath(prefix) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InstallException($"{record}: the link {action.TargetPath} -> {linkTarget} would leave the environment");
                    }

                    File.CreateSymbolicLink(target, linkTarget);
                    linked.Add(new LinkedPath(action.TargetPath, "softlink", entry.Sha256, null, entry.SizeInBytes, null, null));
                    continue;
            }

            var source = action.Source!;
            if (!File.Exists(source))
            {
                throw new InstallException($"{record}: {entry.Path} is listed in info/paths.json but missing from the package");
            }

            if (entry.PrefixPlaceholder is { Length: > 0 } placeholder)
            {
                var content = File.ReadAllBytes(source);
                var binary = entry.FileMode == "binary";
                var replaced = binary
                    ? PrefixReplacer.ReplaceBinary(content, placeholder, prefix, $"{record}: {entry.Path}")
                    : PrefixReplacer.FixShebang(PrefixReplacer.ReplaceText(content, placeholder, prefix), prefix);
                File.WriteAllBytes(target, replaced);
                CopyMode(source, target);
                linked.Add(new LinkedPath(action.TargetPath, "hardlink", entry.Sha256, Convert.ToHexStringLower(SHA256.HashData(replaced)), replaced.Length, binary ? "binary" : "text", placeholder));
                continue;
            }

            if (entry.NoLink || !NativeFiles.TryHardLink(source, target))
            {
                File.Copy(source, target, overwrite: true);
            }

            linked.Add(new LinkedPath(action.TargetPath, "hardlink", entry.Sha256, null, entry.SizeInBytes, null, null));
        }

        return linked;
    }

    private static void CopyMode(string source, string target)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }
    }
}
