using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Install.Transactions;

/// <summary>A package about to be linked: its (completed) record, its folder in the cache and the paths it creates.</summary>
internal sealed record LinkPlan(PackageRecord Record, string Extracted, IReadOnlyList<LinkAction> Actions) : Clobbers.IPlannedPackage;

/// <summary>Which paths a transaction touches, worked out before it touches any.</summary>
internal static class TransactionPaths
{
    /// <summary>
    /// The journal of a transaction: every path it creates (files, pyc files, conda-meta records, the history), every
    /// existing path it moves aside (files of removed packages no kept package owns, and whatever is in the way of a
    /// created path), and the folders it makes.
    /// </summary>
    /// <remarks>
    /// Moved paths are recorded as they really are on disk (<see cref="PrefixTree.ResolveRelative"/>: no link among
    /// their folders), so moving them aside and back never passes through a link; a removed package's path whose
    /// folders lead outside the environment is left alone, with a warning in <paramref name="warnings"/>.
    /// </remarks>
    public static TransactionJournal Journal(PrefixTree tree, TransactionPlan plan, List<LinkPlan> linkPlans, TransactionOptions options, PythonLayout? python, string? pythonVersion, List<string> warnings)
    {
        var created = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Create(string relative)
        {
            if (seen.Add(relative))
            {
                created.Add(relative);
            }
        }

        var directories = new List<string>();
        foreach (var package in linkPlans)
        {
            foreach (var action in package.Actions)
            {
                if (action.Kind == LinkKind.Directory)
                {
                    directories.Add(action.TargetPath);
                }
                else
                {
                    Create(action.TargetPath);
                }
            }

            if (options.CompilePyc && python is not null && pythonVersion is not null && package.Record.NoArch == NoArchType.Python)
            {
                foreach (var source in PythonSources(package, python))
                {
                    if (PycCompiler.CachePath(source, pythonVersion) is { } compiled)
                    {
                        Create(compiled);
                    }
                }
            }

            Create($"conda-meta/{InstalledPackage.MetaFileNameOf(package.Record)}");
        }

        Create("conda-meta/history");

        // Files of removed packages go, unless a package that stays owns them too (a clobbered path).
        var keptFiles = plan.Keep.SelectMany(k => k.Files).ToHashSet(StringComparer.Ordinal);
        var moved = new List<string>();
        var movedSeen = new HashSet<string>(StringComparer.Ordinal);
        void Move(string relative, bool created)
        {
            string real;
            try
            {
                real = tree.ResolveRelative(relative);
            }
            catch (InstallException e) when (!created)
            {
                warnings.Add($"left in place: {e.Message}");
                return;
            }

            if (created && PrefixPaths.IsReserved(real) && !PrefixPaths.IsReserved(relative))
            {
                throw new InstallException($"{tree.Description}: '{relative}' leads into {real.Split('/')[0]}/ through a link; that folder belongs to the package manager");
            }

            if (FileKinds.Of(PrefixPaths.Under(tree.Root, real)) != FileKind.Missing && movedSeen.Add(real))
            {
                moved.Add(real);
            }
        }

        foreach (var package in plan.Unlink)
        {
            foreach (var file in package.Files.Append($"conda-meta/{package.MetaFileName}"))
            {
                if (!keptFiles.Contains(file) || seen.Contains(file))
                {
                    Move(file, created: false);
                }
            }
        }

        foreach (var relative in created)
        {
            Move(relative, created: true);
        }

        // A moved path inside a moved folder (a folder replaced by a file) is moved with it: keep only the outermost.
        var movedFolders = moved.Where(m => FileKinds.Of(PrefixPaths.Under(tree.Root, m)) == FileKind.Directory).ToList();
        if (movedFolders.Count > 0)
        {
            moved = [.. moved.Where(m => !movedFolders.Exists(o => m.StartsWith(o + "/", StringComparison.Ordinal)))];
        }

        var newDirectories = new SortedSet<string>(Comparer<string>.Create((a, b) =>
        {
            var depth = a.Count(c => c == '/').CompareTo(b.Count(c => c == '/'));
            return depth != 0 ? depth : string.CompareOrdinal(a, b);
        }));
        var checkedParents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in created.Concat(directories.Select(d => d + "/.")))
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                var parent = path[..slash];
                if (checkedParents.Add(parent) && FileKinds.Of(tree.Resolve(parent)) == FileKind.Missing)
                {
                    newDirectories.Add(parent);
                }
            }
        }

        return new TransactionJournal(Guid.NewGuid().ToString("N"), options.Command, Committed: false, moved, created, [.. newDirectories]);
    }

    /// <summary>The paths that more than one of the packages being linked writes.</summary>
    public static HashSet<string> WrittenTwice(List<LinkPlan> linkPlans)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var twice = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in linkPlans.SelectMany(p => p.Actions))
        {
            if (action.Kind != LinkKind.Directory && !seen.Add(action.TargetPath))
            {
                twice.Add(action.TargetPath);
            }
        }

        return twice;
    }

    /// <summary>The .py files a noarch: python package put in site-packages (its scripts are not modules).</summary>
    public static IEnumerable<string> PythonSources(LinkPlan package, PythonLayout python) =>
        package.Actions
            .Where(a => a.Kind == LinkKind.File && a.TargetPath.EndsWith(".py", StringComparison.Ordinal) && a.TargetPath.StartsWith(python.SitePackages + "/", StringComparison.Ordinal))
            .Select(a => a.TargetPath);
}
