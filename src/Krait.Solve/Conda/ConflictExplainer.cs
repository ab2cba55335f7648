using System.Text;
using Krait.Conda;

namespace Krait.Solve;

/// <summary>
/// Turns the clauses behind an unsatisfiable solve into sentences: the requests involved, what nothing provides,
/// and which packages need what — the versions of one package that share a dependency merged into one line.
/// </summary>
internal static class ConflictExplainer
{
    public static string Explain(IReadOnlyCollection<int> core, IReadOnlyList<ClauseReason> reasons)
    {
        var involved = core.Select(tag => reasons[tag]).ToList();
        var text = new StringBuilder("Could not find a set of packages that satisfies every request.");
        var requested = involved.OfType<ClauseReason.Requested>().Select(r => r.Spec.ToString()).Distinct().ToList();
        if (requested.Count > 0)
        {
            text.Append("\n\nRequested: ").AppendJoin(", ", requested);
        }

        foreach (var missing in involved.OfType<ClauseReason.NothingProvides>().GroupBy(m => m.Dependency))
        {
            var needers = missing.Where(m => m.Package is not null).Select(m => m.Package!).ToList();
            text.Append("\n  - nothing provides ").Append(missing.Key);
            if (needers.Count > 0)
            {
                text.Append(" needed by ").Append(Describe(needers));
            }
            else
            {
                text.Append(" (requested)");
            }
        }

        // One line per package name and dependency name: the versions merged, the differing requirements joined.
        foreach (var dependency in involved.OfType<ClauseReason.Requires>().GroupBy(r => (r.Package.Name, DependencyName(r.Dependency))))
        {
            var requirements = dependency.Select(d => d.Dependency).Distinct().ToList();
            text.Append("\n  - ").Append(Describe([.. dependency.Select(d => d.Package)])).Append(" needs ").AppendJoin(" or ", requirements);
        }

        foreach (var constraint in involved.OfType<ClauseReason.Constrains>().GroupBy(c => (c.Package.Name, c.Constraint)))
        {
            text.Append("\n  - ").Append(Describe([.. constraint.Select(c => c.Package)])).Append(" allows only ").Append(constraint.Key.Constraint);
        }

        var names = involved.OfType<ClauseReason.OnePerName>().Select(o => o.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        if (names.Count > 0)
        {
            text.Append("\n  - only one version can be installed of: ").AppendJoin(", ", names);
        }

        return text.ToString();
    }

    private static string DependencyName(string dependency)
    {
        var end = dependency.AsSpan().IndexOfAny(" =<>!~[");
        return end < 0 ? dependency : dependency[..end];
    }

    /// <summary>"pandas 0.20.1, 0.20.2, 0.20.3" for several records of one name.</summary>
    private static string Describe(List<PackageRecord> packages)
    {
        var versions = packages
            .OrderBy(p => p.TryGetParsedVersion(out var v) ? v : null)
            .Select(p => p.Version)
            .Distinct()
            .ToList();
        if (versions.Count > 4)
        {
            versions = [versions[0], "…", versions[^1]];
        }

        return $"{packages[0].Name} {string.Join(", ", versions)}";
    }
}
