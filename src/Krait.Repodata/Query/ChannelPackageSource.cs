using Krait.Conda;

namespace Krait.Repodata;

/// <summary>
/// The records of a list of channels (highest priority first) for one platform and noarch, served by name to the
/// solver. Each subdir's repodata is memory-mapped and indexed by name in one pass on first use; only the records
/// of the names the solve reaches are ever parsed.
/// </summary>
public sealed class ChannelPackageSource : IPackageSource, IDisposable
{
    private readonly IReadOnlyList<Channel> channels;
    private readonly string platform;
    private readonly Remote.RepodataFetcher? remote;
    private readonly Dictionary<string, IReadOnlyList<Candidate>> cache = new(StringComparer.Ordinal);
    private List<(LazyRepodata Repodata, int Priority)>? subdirs;

    public ChannelPackageSource(IReadOnlyList<Channel> channels, string platform, Remote.RepodataFetcher? remote = null)
    {
        this.channels = channels;
        this.platform = platform;
        this.remote = remote;
    }

    public IReadOnlyList<Candidate> CandidatesOf(string name)
    {
        if (cache.TryGetValue(name, out var known))
        {
            return known;
        }

        subdirs ??= Open();
        var candidates = new List<Candidate>();
        foreach (var (repodata, priority) in subdirs)
        {
            foreach (var record in repodata.Load([name]).Records())
            {
                candidates.Add(new Candidate(record, priority));
            }
        }

        cache[name] = candidates;
        return candidates;
    }

    public void Dispose()
    {
        foreach (var (repodata, _) in subdirs ?? [])
        {
            repodata.Dispose();
        }
    }

    private List<(LazyRepodata, int)> Open()
    {
        var opened = new List<(LazyRepodata, int)>();
        try
        {
            for (var priority = 0; priority < channels.Count; priority++)
            {
                foreach (var repodata in ChannelLoader.OpenLazy(channels[priority], platform, remote))
                {
                    repodata.BuildNameIndex();
                    opened.Add((repodata, priority));
                }
            }
        }
        catch
        {
            opened.ForEach(o => o.Item1.Dispose());
            throw;
        }

        return opened;
    }
}
