using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Repodata.Channels;

namespace Krait.Repodata.Query;

/// <summary>
/// Finds the records that match a spec across channels, the way <c>conda search</c> does: the platform subdir and
/// noarch (or only the subdir the spec names), the spec's own channel when it names one, <c>.conda</c> preferred
/// over the <c>.tar.bz2</c> of the same package, sorted by name, version, build number and build.
/// </summary>
public static class PackageQuery
{
    /// <param name="warnings">Receives what the channels' repodata held that was skipped or doubted.</param>
    public static IReadOnlyList<PackageRecord> Search(MatchSpec spec, IReadOnlyList<Channel> channels, string platform, Remote.RepodataFetcher? remote = null, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(channels);
        var names = spec.IsNameExact ? new[] { spec.Name.ExactValue! } : null;
        var matches = new List<(PackageRecord Record, int ChannelIndex)>();
        for (var c = 0; c < channels.Count; c++)
        {
            foreach (var repodata in LoadSubdirs(channels[c], spec.Subdir ?? platform, onlyThatSubdir: spec.Subdir is not null, names, remote))
            {
                foreach (var warning in repodata.Warnings)
                {
                    warnings?.Add(warning);
                }

                foreach (var record in repodata.Records())
                {
                    if (spec.Matches(record))
                    {
                        matches.Add((record, c));
                    }
                }
            }
        }

        matches.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Record.Name, b.Record.Name);
            if (order == 0)
            {
                order = CompareVersions(a.Record, b.Record);
            }

            if (order == 0)
            {
                order = a.Record.BuildNumber.CompareTo(b.Record.BuildNumber);
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(a.Record.Build, b.Record.Build);
            }

            if (order == 0)
            {
                order = a.ChannelIndex.CompareTo(b.ChannelIndex);
            }

            return order != 0 ? order : string.CompareOrdinal(a.Record.Subdir, b.Record.Subdir);
        });

        var result = new PackageRecord[matches.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = matches[i].Record;
        }

        return result;
    }

    private static IReadOnlyList<RepoData> LoadSubdirs(Channel channel, string platform, bool onlyThatSubdir, IReadOnlyCollection<string>? names, Remote.RepodataFetcher? remote)
    {
        var loaded = ChannelLoader.Load(channel, platform, names, remote);
        if (!onlyThatSubdir || platform == Platform.NoArch)
        {
            return loaded;
        }

        return [.. loaded.Where(r => r.Subdir == platform)];
    }

    /// <summary>Records whose version conda cannot parse sort before the others, by text.</summary>
    private static int CompareVersions(PackageRecord a, PackageRecord b)
    {
        var aValid = a.TryGetParsedVersion(out var av);
        var bValid = b.TryGetParsedVersion(out var bv);
        if (aValid && bValid)
        {
            return av!.CompareTo(bv);
        }

        return aValid == bValid ? string.CompareOrdinal(a.Version, b.Version) : aValid ? 1 : -1;
    }
}
