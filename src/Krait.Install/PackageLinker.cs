using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages;

namespace Krait.Install;

/// <summary>
/// What the linking of one transaction's packages shares: the environment's <see cref="PrefixTree"/> (every path
/// resolved through it), the folders known to exist (so each is made once, not once per file) and the paths more
/// than one of its packages writes.
/// </summary>
public sealed class LinkSession(PrefixTree prefix, IReadOnlySet<string> writtenTwice)
{
    public PrefixTree Prefix { get; } = prefix;

    public HashSet<string> KnownDirectories { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<string> WrittenTwice { get; } = writtenTwice;

    /// <summary>Copy files that would be hard-linked (<see cref="Transactions.TransactionOptions.AlwaysCopy"/>).</summary>
    public bool AlwaysCopy { get; init; }

    /// <summary>The environment's platform: on osx-arm64, binaries whose prefix is written are signed again (<see cref="MachOSigning"/>).</summary>
    public string Platform { get; init; } = Krait.Conda.Platforms.Platform.Native;

    /// <summary>Binaries that need a new signature and did not get one here, with the reason.</summary>
    public List<(string Path, string Reason)> Unsigned { get; } = [];

    /// <summary>A link now stands where a folder may have been: the folders resolved through it are forgotten.</summary>
    public void Replaced(string realRelative)
    {
        Prefix.Forget(realRelative);
        KnownDirectories.Clear();
    }
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
        var package = new PrefixTree(extracted, $"the package {record} in the cache");
        var actions = new List<LinkAction>();
        foreach (var entry in PackageContents.ReadEntries(extracted))
        {
            var packagePath = PrefixPaths.Check(entry.Path, context);
            var target = PrefixPaths.CheckPayload(noarchPython ? python!.Map(packagePath) : packagePath, context);
            var kind = entry.PathType switch
            {
                "directory" => LinkKind.Directory,
                "softlink" => LinkKind.Softlink,
                _ => LinkKind.File,
            };
            var (source, actual) = Source(record, package, packagePath, kind);
            actions.Add(new LinkAction(target, actual, source, entry));
        }

        if (noarchPython)
        {
            foreach (var point in EntryPoints.Read(extracted))
            {
                foreach (var file in EntryPoints.PathsOf(python!, point))
                {
                    var path = PrefixPaths.CheckPayload(file, $"{record} (info/link.json)");
                    actions.Add(new LinkAction(path, LinkKind.EntryPoint, null, new PathEntry { Path = path }, point));
                }
            }
        }

        return actions;
    }

    /// <summary>
    /// Where a path of the package really is in its cache folder, reached without leaving it, and what it is
    /// there. A file must be a regular file (one that is really a link to <c>/etc/shadow</c> would be copied in); a
    /// path <c>info/paths.json</c> calls a softlink may be a plain file, which some repacked archives hold (it is
    /// then linked as the file it is).
    /// </summary>
    private static (string Source, LinkKind Kind) Source(PackageRecord record, PrefixTree package, string packagePath, LinkKind declared)
    {
        var source = package.Resolve(packagePath);
        var actual = FileKinds.Of(source);
        var kind = (declared, actual) switch
        {
            (LinkKind.File, FileKind.Regular) => LinkKind.File,
            (LinkKind.Softlink, FileKind.Symlink) => LinkKind.Softlink,
            (LinkKind.Softlink, FileKind.Regular) => LinkKind.File,
            (LinkKind.Directory, FileKind.Directory or FileKind.Missing) => LinkKind.Directory,
            (_, FileKind.Missing) => throw new InstallException($"{record}: {packagePath} is listed in info/paths.json but missing from the package"),
            _ => throw new InstallException($"{record}: {packagePath} is a {Describe(actual)} in the package, but info/paths.json says it is a {Describe(declared)}"),
        };
        return (source, kind);
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "file",
        FileKind.Directory => "folder",
        FileKind.Symlink => "symlink",
        _ => "fifo or device",
    };

    private static string Describe(LinkKind kind) => kind switch
    {
        LinkKind.File => "file",
        LinkKind.Directory => "folder",
        _ => "symlink",
    };

    /// <summary>
    /// Creates the planned paths in the environment (<see cref="LinkSession.Prefix"/>; its final path is written into
    /// files in place of the placeholder). The transaction has cleared every target path beforehand, except those that
    /// several of its packages write (<see cref="LinkSession.WrittenTwice"/>, a clobber: the later package wins, as in
    /// conda). Nothing is written through a link that leads outside the environment, nor over an existing path.
    /// </summary>
    public static IReadOnlyList<LinkedPath> Apply(PackageRecord record, IReadOnlyList<LinkAction> actions, PythonLayout? python, LinkSession session)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(session);
        var prefix = session.Prefix.Root;
        var linked = new List<LinkedPath>(actions.Count);
        foreach (var action in actions)
        {
            var real = session.Prefix.ResolveRelative(action.TargetPath);
            if (PrefixPaths.IsReserved(real))
            {
                throw new InstallException($"{record}: '{action.TargetPath}' leads into {real.Split('/')[0]}/ through a link; that folder belongs to the package manager");
            }

            var target = PrefixPaths.Under(prefix, real);
            var parent = Path.GetDirectoryName(target)!;
            if (session.KnownDirectories.Add(parent))
            {
                Directory.CreateDirectory(parent);
            }

            if (action.Kind != LinkKind.Directory && session.WrittenTwice.Contains(action.TargetPath))
            {
                FileKinds.Delete(target);
                session.Replaced(real);
            }

            var entry = action.Entry;
            switch (action.Kind)
            {
                case LinkKind.Directory:
                    Directory.CreateDirectory(target);
                    linked.Add(new LinkedPath(action.TargetPath, "directory", null, null, null, null, null));
                    continue;
                case LinkKind.EntryPoint:
                    EntryPoints.Write(target, prefix, python!, action.EntryPoint!);
                    linked.Add(new LinkedPath(action.TargetPath, "hardlink", null, null, null, null, null));
                    continue;
                case LinkKind.Softlink:
                    var linkTarget = new FileInfo(action.Source!).LinkTarget!;
                    if (SymlinkTargets.Problem(linkTarget, SymlinkTargets.ParentDepth(real)) is { } problem)
                    {
                        throw new InstallException($"{record}: the symlink {action.TargetPath} {problem}; it would lead outside the environment");
                    }

                    File.CreateSymbolicLink(target, linkTarget);
                    session.Replaced(real);
                    linked.Add(new LinkedPath(action.TargetPath, "softlink", entry.Sha256, null, entry.SizeInBytes, null, null));
                    continue;
            }

            var source = action.Source!;
            if (entry.PrefixPlaceholder is { Length: > 0 } placeholder)
            {
                var content = File.ReadAllBytes(source);
                var binary = entry.FileMode == "binary";
                var replaced = binary
                    ? PrefixReplacer.ReplaceBinary(content, placeholder, prefix, $"{record}: {entry.Path}")
                    : PrefixReplacer.FixShebang(PrefixReplacer.ReplaceText(content, placeholder, prefix), prefix);
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                {
                    output.Write(replaced);
                }

                CopyMode(source, target);
                if (binary && MachOSigning.Required(session.Platform) && MachOSigning.IsMachO(replaced))
                {
                    if (MachOSigning.SignAdHoc(target) is { } unsigned)
                    {
                        session.Unsigned.Add((action.TargetPath, unsigned));
                    }
                    else
                    {
                        replaced = File.ReadAllBytes(target);
                    }
                }

                linked.Add(new LinkedPath(action.TargetPath, "hardlink", entry.Sha256, Convert.ToHexStringLower(SHA256.HashData(replaced)), replaced.Length, binary ? "binary" : "text", placeholder));
                continue;
            }

            if (entry.NoLink || session.AlwaysCopy || !NativeFiles.TryHardLink(source, target))
            {
                File.Copy(source, target, overwrite: false);
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
