using Krait.Conda.Records;

namespace Krait.Solve.Conda;

/// <summary>
/// libsolv's choice among the still-open candidates of one rule (its <c>policy_filter_unwanted</c>, as conda's libsolv
/// runs it): keep the highest channel priority among them (unless priority is disabled), then the best on fewer
/// <c>track_features</c>, higher version, higher build number; what ties there — the variants of one build — is
/// ordered by <see cref="VariantOrder"/>. Everything but the variant order is fixed per record, so it is computed
/// once per name as a rank (<see cref="Ranks"/>): the open candidates of the lowest rank are the ones libsolv keeps.
/// </summary>
internal sealed class CandidateChoice(ChannelPriority priority, VariantOrder variants)
{
    /// <summary>
    /// For each of a name's candidates, its rank: equal for candidates libsolv cannot tell apart before comparing
    /// variants, lower for better ones.
    /// </summary>
    public int[] Ranks(IReadOnlyList<Candidate> candidates)
    {
        var byPreference = new int[candidates.Count];
        for (var i = 0; i < byPreference.Length; i++)
        {
            byPreference[i] = i;
        }

        Array.Sort(byPreference, (a, b) => Compare(candidates[a], candidates[b]));
        var ranks = new int[candidates.Count];
        for (var i = 1; i < byPreference.Length; i++)
        {
            var same = Compare(candidates[byPreference[i - 1]], candidates[byPreference[i]]) == 0;
            ranks[byPreference[i]] = ranks[byPreference[i - 1]] + (same ? 0 : 1);
        }

        return ranks;
    }

    /// <summary>Orders candidates of one rank, given in libsolv's order (<see cref="Candidate.Order"/>), best first.</summary>
    public void OrderTies(List<Option> ties) => variants.Sort(ties, o => o.Candidate.Record);

    /// <summary>Negative when <paramref name="x"/> is better: higher channel priority, fewer track features, higher version, higher build number.</summary>
    private int Compare(Candidate x, Candidate y)
    {
        if (priority != ChannelPriority.Disabled && x.ChannelPriority != y.ChannelPriority)
        {
            return x.ChannelPriority.CompareTo(y.ChannelPriority);
        }

        var a = x.Record;
        var b = y.Record;
        var order = a.TrackFeatureList.Count.CompareTo(b.TrackFeatureList.Count);
        if (order != 0)
        {
            return order;
        }

        order = CompareVersions(b, a);
        return order != 0 ? order : b.BuildNumber.CompareTo(a.BuildNumber);
    }

    private static int CompareVersions(PackageRecord a, PackageRecord b)
    {
        if (a.Version == b.Version)
        {
            return 0;
        }

        var aValid = a.TryGetParsedVersion(out var av);
        var bValid = b.TryGetParsedVersion(out var bv);
        return aValid && bValid ? av!.CompareTo(bv) : aValid == bValid ? string.CompareOrdinal(a.Version, b.Version) : aValid ? 1 : -1;
    }
}

/// <summary>A candidate of a rule and the solver variable that stands for it.</summary>
internal readonly record struct Option(int Variable, Candidate Candidate);
