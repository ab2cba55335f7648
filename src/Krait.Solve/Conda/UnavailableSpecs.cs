using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// The requested specs that no candidate matches at all, found before solving: conda reports them all at once as
/// <c>PackagesNotFoundError</c> instead of one of them as a conflict. Virtual packages (<c>__glibc</c>) are the
/// machine's, not the channels', and are left to the solver.
/// </summary>
public static class UnavailableSpecs
{
    public static IReadOnlyList<MatchSpec> Of(IEnumerable<MatchSpec> specs, IPackageSource source)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(source);
        var missing = new List<MatchSpec>();
        foreach (var spec in specs)
        {
            if (spec.Name.ExactValue is not { } name || name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            var found = false;
            foreach (var candidate in source.CandidatesOf(name))
            {
                if (spec.Matches(candidate.Record))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                missing.Add(spec);
            }
        }

        return missing;
    }
}
