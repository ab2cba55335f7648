using Krait.Conda.Records;

namespace Krait.Solve.Conda;

/// <summary>
/// libsolv's choice among the still-open candidates of one rule (its <c>policy_filter_unwanted</c>, as conda's libsolv
/// runs it): keep the highest channel priority among them (unless priority is disabled), then the best on fewer
/// <c>track_features</c>, higher version, higher build number; what ties there — the variants of one build — is
/// ordered by <see cref="VariantOrder"/>. The candidates come in libsolv's order (by <see cref="Candidate.Order"/>).
/// </summary>
internal sealed class CandidateChoice(ChannelPriority priority, VariantOrder variants)
{
    /// <summary>Cuts <paramref name="open"/> to the candidates that tie for best, left in candidate order.</summary>
    public void KeepBest(List<Option> open)
    {
        if (open.Count < 2)
        {
            return;
        }

        if (priority != ChannelPriority.Disabled)
        {
            var highest = int.MaxValue;
            foreach (var option in open)
            {
                highest = Math.Min(highest, option.Candidate.ChannelPriority);
            }

            open.RemoveAll(o => o.Candidate.ChannelPriority != highest);
        }

        var best = open[0].Candidate.Record;
        for (var i = 1; i < open.Count; i++)
        {
            if (Compare(best, open[i].Candidate.Record) < 0)
            {
                best = open[i].Candidate.Record;
            }
        }

        open.RemoveAll(o => Compare(best, o.Candidate.Record) != 0);
    }

    /// <summary>Orders candidates that tie for best (<see cref="KeepBest"/>), best first.</summary>
    public void OrderTies(List<Option> ties) => variants.Sort(ties, o => o.Candidate.Record);

    /// <summary>Positive when <paramref name="a"/> is better: fewer track features, then higher version, then higher build number.</summary>
    private static int Compare(PackageRecord a, PackageRecord b)
    {
        var order = b.TrackFeatureList.Count.CompareTo(a.TrackFeatureList.Count);
        if (order != 0)
        {
            return order;
        }

        order = CompareVersions(a, b);
        return order != 0 ? order : a.BuildNumber.CompareTo(b.BuildNumber);
    }

    private static int CompareVersions(PackageRecord a, PackageRecord b)
    {
        if (ReferenceEquals(a.Version, b.Version) || a.Version == b.Version)
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
