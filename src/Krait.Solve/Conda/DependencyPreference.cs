using Krait.Conda;

namespace Krait.Solve;

/// <summary>
/// Compares two builds of one version by their direct dependencies, as the recorded micromamba solves do:
/// first the <c>track_features</c> the dependencies force (the fewest any matching record has, summed — so the
/// scipy build needing <c>blas * openblas</c>, which tracks <c>nomkl</c>, loses to the mkl one), then, for every
/// dependency name both have, the highest version each one admits (the <c>py37</c> build of numpy beats the
/// <c>py36</c> one because it admits python 3.7).
/// </summary>
internal sealed class DependencyPreference(Func<string, IReadOnlyList<Candidate>> candidatesOf, Func<string, MatchSpec> specOf)
{
    private readonly Dictionary<string, Version?> highest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> forcedFeatures = new(StringComparer.Ordinal);

    /// <summary>Negative when <paramref name="a"/> is preferred: fewer forced features, then higher admitted versions.</summary>
    public int Compare(PackageRecord a, PackageRecord b)
    {
        var features = ForcedFeatures(a).CompareTo(ForcedFeatures(b));
        return features != 0 ? features : -VersionScore(a, b);
    }

    private int ForcedFeatures(PackageRecord record)
    {
        var total = 0;
        foreach (var dependency in CondaTheory.DependenciesOf(record))
        {
            if (!forcedFeatures.TryGetValue(dependency, out var fewest))
            {
                var spec = specOf(dependency);
                fewest = 0;
                if (spec.IsNameExact)
                {
                    fewest = int.MaxValue;
                    foreach (var candidate in candidatesOf(spec.Name.ExactValue!))
                    {
                        if (spec.Matches(candidate.Record))
                        {
                            fewest = Math.Min(fewest, candidate.Record.TrackFeatureList.Count);
                        }
                    }

                    fewest = fewest == int.MaxValue ? 0 : fewest;
                }

                forcedFeatures[dependency] = fewest;
            }

            total += fewest;
        }

        return total;
    }

    /// <summary>Positive when <paramref name="a"/> admits higher dependency versions than <paramref name="b"/> more often.</summary>
    private int VersionScore(PackageRecord a, PackageRecord b)
    {
        var score = 0;
        foreach (var mine in CondaTheory.DependenciesOf(a))
        {
            var mySpec = specOf(mine);
            if (!mySpec.IsNameExact)
            {
                continue;
            }

            foreach (var theirs in CondaTheory.DependenciesOf(b))
            {
                var theirSpec = specOf(theirs);
                if (theirSpec.IsNameExact && theirSpec.Name.ExactValue == mySpec.Name.ExactValue)
                {
                    var mineBest = Highest(mine, mySpec);
                    var theirBest = Highest(theirs, theirSpec);
                    if (mineBest is not null && theirBest is not null)
                    {
                        score += Math.Sign(mineBest.CompareTo(theirBest));
                    }

                    break;
                }
            }
        }

        return score;
    }

    private Version? Highest(string text, MatchSpec spec)
    {
        if (highest.TryGetValue(text, out var known))
        {
            return known;
        }

        Version? best = null;
        foreach (var candidate in candidatesOf(spec.Name.ExactValue!))
        {
            if (spec.Matches(candidate.Record) && candidate.Record.TryGetParsedVersion(out var version) && (best is null || version > best))
            {
                best = version;
            }
        }

        highest[text] = best;
        return best;
    }
}
