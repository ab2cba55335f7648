using System.Text;
using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// Turns the clauses behind an unsatisfiable solve into a short tree: each request, then what the packages that
/// could satisfy it need, level by level (the versions of one package merged, their differing requirements on one
/// dependency joined), with what nothing provides as leaves; then the names where the branches collide.
/// </summary>
internal static class ConflictExplainer
{
    private const int MaxDepth = 6;

    public static string Explain(IReadOnlyCollection<int> core, IReadOnlyList<ClauseReason> reasons)
    {
        var involved = core.Select(tag => reasons[tag]).ToList();
        var requires = involved.OfType<ClauseReason.Requires>().ToList();
        var missing = involved.OfType<ClauseReason.NothingProvides>().ToList();
        var unreadables = involved.OfType<ClauseReason.Unreadable>().ToList();
        var text = new StringBuilder("Could not find a set of packages that satisfies every request:");
        var shown = new HashSet<string>(StringComparer.Ordinal);

        foreach (var request in involved.OfType<ClauseReason.Requested>().Select(r => r.Spec).DistinctBy(s => s.ToString()))
        {
            text.Append("\n  ").Append(request);
            Branch(text, request.Name.ExactValue ?? request.Name.Text, requires, missing, unreadables, shown, depth: 2);
        }

        foreach (var request in missing.Where(m => m.Package is null))
        {
            text.Append("\n  ").Append(request.Dependency).Append(": no channel has a package that matches");
        }

        var collisions = involved.OfType<ClauseReason.OnePerName>().Select(o => o.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var name in collisions)
        {
            var wanted = requires.Where(r => MatchSpec.NameOf(r.Dependency) == name).Select(r => r.Dependency)
                .Concat(involved.OfType<ClauseReason.Requested>().Where(r => r.Spec.Name.ExactValue == name).Select(r => r.Spec.ToString()))
                .Distinct()
                .ToList();
            text.Append("\n  conflict: only one ").Append(name).Append(" can be installed");
            if (wanted.Count > 1)
            {
                text.Append(", but these need different ones: ").AppendJoin("; ", wanted);
            }
        }

        foreach (var constraint in involved.OfType<ClauseReason.Constrains>().GroupBy(c => (c.Package.Name, c.Constraint)))
        {
            text.Append("\n  conflict: ").Append(Describe([.. constraint.Select(c => c.Package)])).Append(" allows only ").Append(constraint.Key.Constraint);
        }

        return text.ToString();
    }

    /// <summary>Writes what the packages of <paramref name="name"/> need, one dependency name per line, and recurses into it.</summary>
    private static void Branch(
        StringBuilder text, string name, List<ClauseReason.Requires> requires, List<ClauseReason.NothingProvides> missing, List<ClauseReason.Unreadable> unreadables, HashSet<string> shown, int depth)
    {
        if (depth > MaxDepth || !shown.Add(name))
        {
            return;
        }

        var indent = new string(' ', depth * 2);
        foreach (var dependency in requires.Where(r => r.Package.Name == name).GroupBy(r => MatchSpec.NameOf(r.Dependency)))
        {
            var needs = dependency.Select(d => d.Dependency).Distinct().ToList();
            text.Append('\n').Append(indent).Append("└─ ").Append(Describe([.. dependency.Select(d => d.Package)])).Append(" needs ").AppendJoin(" or ", needs);
            Branch(text, dependency.Key, requires, missing, unreadables, shown, depth + 1);
        }

        foreach (var unreadable in unreadables.Where(u => u.Package.Name == name).GroupBy(u => u.Text))
        {
            text.Append('\n').Append(indent).Append("└─ ").Append(Describe([.. unreadable.Select(u => u.Package)])).Append(" cannot be installed: its metadata holds the unreadable spec '")
                .Append(PackageNaming.Shown(unreadable.Key)).Append('\'');
        }

        foreach (var absent in missing.Where(m => m.Package?.Name == name).GroupBy(m => MatchSpec.NameOf(m.Dependency)))
        {
            var wanted = absent.Select(a => a.Dependency).Distinct().ToList();
            var listed = wanted.Count <= 3 ? string.Join(" or ", wanted) : $"{string.Join(" or ", wanted.Take(2))} (or {wanted.Count - 2} other versions)";
            text.Append('\n').Append(indent).Append("└─ nothing provides ").Append(listed).Append(" needed by ").Append(Describe([.. absent.Select(a => a.Package!)]));
        }
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
