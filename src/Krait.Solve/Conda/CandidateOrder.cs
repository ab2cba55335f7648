using Krait.Conda.Records;

namespace Krait.Solve.Conda;

/// <summary>
/// conda's preference among the records of one name, best first, as libsolv (conda's and mamba's default solver)
/// ranks them: fewer <c>track_features</c>, higher version, higher channel priority (unless disabled), higher
/// build number, then what the direct dependencies imply (<see cref="DependencyPreference"/>), newer timestamp
/// (the recorded micromamba solves pick the newer of two builds that tie on all else), then the build string
/// compared like a version.
/// </summary>
internal sealed class CandidateOrder(ChannelPriority priority, DependencyPreference dependencies) : IComparer<Candidate>
{
    public int Compare(Candidate x, Candidate y)
    {
        var a = x.Record;
        var b = y.Record;
        if (priority == ChannelPriority.Flexible && x.ChannelPriority != y.ChannelPriority)
        {
            return x.ChannelPriority.CompareTo(y.ChannelPriority);
        }

        var order = a.TrackFeatureList.Count.CompareTo(b.TrackFeatureList.Count);
        if (order != 0)
        {
            return order;
        }

        order = CompareVersions(b, a);
        if (order != 0)
        {
            return order;
        }

        if (priority != ChannelPriority.Disabled && x.ChannelPriority != y.ChannelPriority)
        {
            return x.ChannelPriority.CompareTo(y.ChannelPriority);
        }

        order = b.BuildNumber.CompareTo(a.BuildNumber);
        if (order != 0)
        {
            return order;
        }

        order = dependencies.Compare(a, b);
        if (order != 0)
        {
            return order;
        }

        order = (b.Timestamp ?? 0).CompareTo(a.Timestamp ?? 0);
        if (order != 0)
        {
            return order;
        }

        order = CompareBuilds(b.Build, a.Build);
        return order != 0 ? order : string.CompareOrdinal(a.FileName, b.FileName);
    }

    private static int CompareVersions(PackageRecord a, PackageRecord b)
    {
        var aValid = a.TryGetParsedVersion(out var av);
        var bValid = b.TryGetParsedVersion(out var bv);
        return aValid && bValid ? av!.CompareTo(bv) : aValid == bValid ? string.CompareOrdinal(a.Version, b.Version) : aValid ? 1 : -1;
    }

    private static int CompareBuilds(string a, string b) =>
        Version.TryParse(a, out var av) && Version.TryParse(b, out var bv) ? av.CompareTo(bv) : string.CompareOrdinal(a, b);
}
