using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Solve.Conda;

namespace Krait.Install.Environments;

/// <summary>How a command changes an existing environment.</summary>
public enum ChangeKind
{
    /// <summary><c>krait install</c>: add the specs, keep what is installed where possible.</summary>
    Install,

    /// <summary><c>krait update SPEC...</c>: the named packages to their newest allowed builds, the rest kept where possible.</summary>
    Update,

    /// <summary><c>krait update --all</c>: every installed package to its newest allowed build.</summary>
    UpdateAll,
}

/// <summary>
/// Solves the environment an install or update should leave, moving as little as conda would. The specs asked for
/// (plus those asked for earlier, from conda-meta/history, for packages still installed, and every other installed
/// package by name) are solved freely first, which says where the asked packages can go; then, in turn, the solve is tried with every other installed package
/// frozen at its build, then with only the packages outside the asked ones' dependencies frozen, and the first that
/// can be satisfied wins (the free solve when none can). For an update, the asked packages are held at the versions
/// the free solve found, so that freezing the rest cannot quietly keep them old. Installed records stay solvable
/// even when no channel serves them any more: they are given as data and join the channels' candidates at the lowest
/// priority (<see cref="InstalledPackageSource"/>).
/// </summary>
public static class EnvironmentSolver
{
    /// <param name="settings">The machine and the policy (virtual packages, channel priority, pip, pins); its specs are replaced by each solve's.</param>
    /// <param name="freezeInstalled">conda's <c>--freeze-installed</c>: only the solve with every other installed package frozen, unsatisfiable if it is.</param>
    public static SolveResult Solve(
        ChangeKind kind,
        IReadOnlyList<MatchSpec> specs,
        IReadOnlyList<InstalledPackage> installed,
        IReadOnlyList<string> historySpecs,
        IPackageSource channels,
        int channelCount,
        SolveRequest settings,
        bool freezeInstalled = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var source = new InstalledPackageSource(channels, [.. installed.Select(i => i.Record)], channelCount);
        var installedNames = installed.Select(i => i.Record.Name).ToHashSet(StringComparer.Ordinal);
        var history = historySpecs.Select(MatchSpec.Parse).Where(h => !h.IsNameExact || installedNames.Contains(h.Name.ToString())).ToList();
        SolveResult Run(IEnumerable<MatchSpec> request) => CondaSolver.Solve(settings with { Specs = [.. request] }, source);

        if (kind == ChangeKind.UpdateAll)
        {
            return Run(history.Concat(installed.Where(i => !history.Exists(h => h.Name.Matches(i.Record.Name))).Select(i => new MatchSpec(StringMatcher.Exact(i.Record.Name)))));
        }

        if (kind == ChangeKind.Install && settings.AddPipAsPythonDependency && !installed.Any(i => i.Record.Name == "pip"))
        {
            // An installed pip already answers libmamba's added pip request (libsolv keeps it): only a missing one is asked for.
            specs = PipDependency.Requested(specs, channels);
        }

        var asked = specs.Where(s => s.IsNameExact).Select(s => s.Name.ToString()).ToHashSet(StringComparer.Ordinal);
        var keptHistory = history.Where(h => !(h.IsNameExact && asked.Contains(h.Name.ToString()))).ToList();

        // Installed packages stay installed (an install never drops one), at whatever build the solve needs.
        var stay = installed.Where(i => !asked.Contains(i.Record.Name) && !keptHistory.Exists(h => h.Name.Matches(i.Record.Name))).Select(i => new MatchSpec(StringMatcher.Exact(i.Record.Name)));
        var free = Run([.. specs, .. keptHistory, .. stay]);
        if (!free.IsSatisfiable)
        {
            return free;
        }

        var target = kind == ChangeKind.Update
            ? [.. free.Records.Where(r => asked.Contains(r.Name)).Select(r => MatchSpec.Pin(r, withBuild: false))]
            : specs;
        var others = installed.Where(i => !asked.Contains(i.Record.Name)).ToList();
        var frozen = Run([.. target, .. keptHistory, .. others.Select(i => MatchSpec.Pin(i.Record))]);
        if (frozen.IsSatisfiable || freezeInstalled)
        {
            return frozen;
        }

        var moving = DependencyClosure(free.Records, asked);
        var partlyFrozen = Run([.. target, .. keptHistory, .. others.Where(i => !moving.Contains(i.Record.Name)).Select(i => MatchSpec.Pin(i.Record))]);
        return partlyFrozen.IsSatisfiable ? partlyFrozen : free;
    }

    /// <summary>The names of <paramref name="roots"/> and everything they depend on, within <paramref name="records"/>.</summary>
    private static HashSet<string> DependencyClosure(IReadOnlyList<PackageRecord> records, IEnumerable<string> roots)
    {
        var byName = records.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!closure.Add(name) || !byName.TryGetValue(name, out var record))
            {
                continue;
            }

            foreach (var dependency in record.Depends)
            {
                pending.Push(MatchSpec.NameOf(dependency));
            }
        }

        return closure;
    }
}
