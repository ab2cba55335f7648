using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Configuration;
using Krait.Install;
using Krait.Repodata.Query;

namespace Krait.Cli.Installing;

/// <summary>The records of a revision's packages: those still installed as they are, the others found again in the channels the history names.</summary>
internal static class RevisionRecords
{
    public static IReadOnlyList<PackageRecord> Of(
        IReadOnlyList<string> dists, IReadOnlyList<InstalledPackage> installed, string subdir, CondaConfig config, KraitLocations locations, Remote.RemoteAccess remote)
    {
        ArgumentNullException.ThrowIfNull(dists);
        ArgumentNullException.ThrowIfNull(installed);
        var records = new List<PackageRecord>();
        var missing = new List<string>();
        foreach (var dist in dists)
        {
            var name = HistoryRevisions.DistName(dist);
            if (installed.FirstOrDefault(i => $"{i.Record.Name}-{i.Record.Version}-{i.Record.Build}" == name) is { } still)
            {
                records.Add(still.Record);
            }
            else
            {
                missing.Add(dist);
            }
        }

        if (missing.Count == 0)
        {
            return records;
        }

        var channelNames = missing.Select(d => WithoutSubdir(HistoryRevisions.ChannelOf(d))).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var channels = ChannelSelection.Resolve(channelNames, overrideChannels: true, config, locations.Paths);
        using var source = new ChannelPackageSource(channels, subdir, remote.Repodata, remote.NameIndexCache);
        foreach (var dist in missing)
        {
            var name = HistoryRevisions.DistName(dist);
            var found = source.CandidatesOf(HistoryRevisions.PackageName(dist)).Select(c => c.Record).FirstOrDefault(r => $"{r.Name}-{r.Version}-{r.Build}" == name);
            records.Add(found ?? throw new KraitException(
                "PackagesNotFoundError",
                $"the revision had {dist}, which {(HistoryRevisions.ChannelOf(dist) is { } channel ? Channel.Redact(channel) : "no channel")} serves no more",
                "go back to another revision, or install what you need by spec"));
        }

        return records;
    }

    /// <summary>conda's history names a package's channel with its subdir (<c>conda-forge/linux-64</c>, <c>file:///c/linux-64</c>).</summary>
    private static string? WithoutSubdir(string? channel)
    {
        if (channel is null)
        {
            return null;
        }

        var slash = channel.TrimEnd('/').LastIndexOf('/');
        return slash > 0 && Platform.IsKnown(channel[(slash + 1)..].TrimEnd('/')) ? channel[..slash] : channel;
    }
}
