using Krait.Conda.Specs;

namespace Krait.Install.Environments;

/// <summary>Which installed packages a removal takes: those the specs match, then everything left that needs one of them.</summary>
public static class Removal
{
    public static HashSet<string> Names(IReadOnlyList<InstalledPackage> installed, IReadOnlyList<MatchSpec> specs, bool force)
    {
        var missing = specs.Where(s => !installed.Any(i => s.Matches(i.Record))).ToList();
        if (missing.Count > 0)
        {
            throw new PackagesNotInstalledException(missing);
        }

        var removed = installed.Where(i => specs.Any(s => s.Matches(i.Record))).Select(i => i.Record.Name).ToHashSet(StringComparer.Ordinal);
        if (force)
        {
            return removed;
        }

        // A package whose dependency only a removed package met goes too, until nothing more changes.
        for (var changed = true; changed;)
        {
            changed = false;
            var remaining = installed.Where(i => !removed.Contains(i.Record.Name)).ToList();
            foreach (var package in remaining)
            {
                foreach (var dependency in package.Record.Depends)
                {
                    var spec = TryParse(dependency);
                    if (spec is null || !removed.Any(spec.Name.Matches))
                    {
                        continue;
                    }

                    if (!remaining.Any(r => r != package && !removed.Contains(r.Record.Name) && spec.Matches(r.Record)))
                    {
                        removed.Add(package.Record.Name);
                        changed = true;
                        break;
                    }
                }
            }
        }

        return removed;
    }

    private static MatchSpec? TryParse(string spec)
    {
        try
        {
            return MatchSpec.Parse(spec);
        }
        catch (InvalidMatchSpecException)
        {
            return null;
        }
    }
}
