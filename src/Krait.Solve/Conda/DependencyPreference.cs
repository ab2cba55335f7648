using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// Compares two builds of one version by their direct dependencies, as the recorded micromamba solves do:
/// first the <c>track_features</c> the dependencies force (the fewest any matching record has, summed — so the
/// scipy build needing <c>blas * openblas</c>, which tracks <c>nomkl</c>, loses to the mkl one), then, for every
/// dependency name both have, the highest version each one admits (the <c>py37</c> build of numpy beats the
/// <c>py36</c> one because it admits python 3.7).
/// </summary>
internal sealed class DependencyPreference(Func<string, IReadOnlyList<Candidate>> candidatesOf, Func<string, MatchSpec?> specOf, bool addPipAsPythonDependency)
{
    private readonly Dictionary<string, Version?> highest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> forcedFeatures = new(StringComparer.Ordinal);
    private readonly Dictionary<PackageRecord, Profile> profiles = new(ReferenceEqualityComparer.Instance);

    /// <summary>Negative when <paramref name="a"/> is preferred: fewer forced features, then higher admitted versions.</summary>
    public int Compare(PackageRecord a, PackageRecord b)
    {
        var first = ProfileOf(a);
        var second = ProfileOf(b);
        var features = first.ForcedFeatures.CompareTo(second.ForcedFeatures);
        if (features != 0)
        {
            return features;
        }

        var score = 0;
        foreach (var (name, version) in first.HighestByName)
        {
            if (version is not null && second.HighestByName.TryGetValue(name, out var other) && other is not null)
            {
                score += Math.Sign(version.CompareTo(other));
            }
        }

        return -score;
    }

    /// <summary>What a record's dependencies imply, computed once per record: sorting compares each record many times.</summary>
    private Profile ProfileOf(PackageRecord record)
    {
        if (profiles.TryGetValue(record, out var known))
        {
            return known;
        }

        var forced = 0;
        var byName = new Dictionary<string, Version?>(StringComparer.Ordinal);
        foreach (var dependency in CondaTheory.DependenciesOf(record, addPipAsPythonDependency))
        {
            if (specOf(dependency) is not { } spec)
            {
                continue; // unreadable: the record is left out when it is reached
            }

            forced += ForcedFeatures(dependency, spec);
            if (spec.IsNameExact)
            {
                byName.TryAdd(spec.Name.ExactValue!, Highest(dependency, spec));
            }
        }

        var profile = new Profile(forced, byName);
        profiles[record] = profile;
        return profile;
    }

    /// <summary>The fewest track_features of any record that satisfies the dependency.</summary>
    private int ForcedFeatures(string dependency, MatchSpec spec)
    {
        if (forcedFeatures.TryGetValue(dependency, out var fewest))
        {
            return fewest;
        }

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
        return fewest;
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

    private sealed record Profile(int ForcedFeatures, Dictionary<string, Version?> HighestByName);
}
