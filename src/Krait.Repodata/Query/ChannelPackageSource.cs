using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Repodata.Channels;
using Krait.Repodata.Parsing;

namespace Krait.Repodata.Query;

/// <summary>
/// The records of a list of channels (highest priority first) for one platform and noarch, served by name to the
/// solver from one list of <see cref="ISubdirSource"/>s in channel order. A repodata.json is memory-mapped and indexed
/// by name in one pass on first use, so only the records of the names the solve reaches are ever parsed; a sharded
/// subdir fetches the shards of every name a request can reach concurrently, on the first request for a name.
/// </summary>
public sealed class ChannelPackageSource : IPackageSource, IDisposable
{
    /// <summary>A candidate's order is its subdir's index above the bits of its place in that subdir.</summary>
    private const int PlaceBits = 44;

    private readonly IReadOnlyList<Channel> channels;
    private readonly string platform;
    private readonly Remote.RepodataFetcher? remote;
    private readonly string? nameIndexCache;
    private readonly Dictionary<string, IReadOnlyList<Candidate>> cache = new(StringComparer.Ordinal);
    private List<(ISubdirSource Source, int Priority)>? subdirs;
    private readonly HashSet<string> prefetched = new(StringComparer.Ordinal);

    /// <param name="nameIndexCache">A folder where each repodata file's name index is kept between commands (<see cref="NameIndexFile"/>); none when null.</param>
    public ChannelPackageSource(IReadOnlyList<Channel> channels, string platform, Remote.RepodataFetcher? remote = null, string? nameIndexCache = null)
    {
        this.channels = channels;
        this.platform = platform;
        this.remote = remote;
        this.nameIndexCache = nameIndexCache;
    }

    /// <summary>Records skipped or doubted in what was read so far (each naming its file and record): for the user to see.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. (subdirs ?? []).SelectMany(s => s.Source.Warnings)];

    /// <summary>Every package name the channels have, for the platform and noarch.</summary>
    public IReadOnlySet<string> Names()
    {
        subdirs ??= Open();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, _) in subdirs)
        {
            names.UnionWith(source.Names);
        }

        return names;
    }

    public IReadOnlyList<Candidate> CandidatesOf(string name)
    {
        if (cache.TryGetValue(name, out var known))
        {
            return known;
        }

        subdirs ??= Open();
        ShardPrefetch.Reachable(name, subdirs.Select(s => s.Source), prefetched);
        var candidates = new List<Candidate>();
        for (var i = 0; i < subdirs.Count; i++)
        {
            var (source, priority) = subdirs[i];
            foreach (var listed in source.InstallableRecordsOf(name))
            {
                candidates.Add(new Candidate(listed.Record, priority, ((long)i << PlaceBits) + listed.Place));
            }
        }

        cache[name] = candidates;
        return candidates;
    }

    /// <summary>Each subdir of a remote channel by its shards where it serves a shard index, else by its repodata.json.</summary>
    private void OpenRemote(Channel channel, int priority, List<(ISubdirSource, int)> opened)
    {
        var subdirNames = ChannelLoader.SubdirsOf(platform);
        var any = false;
        foreach (var subdir in subdirNames)
        {
            if (remote!.TryOpenSharded(channel, subdir) is { } shards)
            {
                opened.Add((shards, priority));
                any = true;
            }
            else if (remote.Fetch(channel, subdir) is { } path)
            {
                opened.Add((LazyRepodata.Open(path, subdir, RecordOrigin.Of(channel, subdir)), priority));
                any = true;
            }
        }

        if (!any)
        {
            throw ChannelLoader.RemoteNotFound(channel, subdirNames);
        }
    }

    /// <summary>The name index cache of a repodata file: named after its full path, so that each file has its own.</summary>
    private string? CacheFileOf(ISubdirSource source) =>
        nameIndexCache is null || source is not LazyRepodata repodata
            ? null
            : Path.Combine(nameIndexCache, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(repodata.Path))))[..32] + ".names");

    public void Dispose()
    {
        foreach (var (source, _) in subdirs ?? [])
        {
            source.Dispose();
        }
    }

    private List<(ISubdirSource, int)> Open()
    {
        var opened = new List<(ISubdirSource, int)>();
        try
        {
            for (var priority = 0; priority < channels.Count; priority++)
            {
                if (remote is not null && !channels[priority].IsLocal)
                {
                    OpenRemote(channels[priority], priority, opened);
                    continue;
                }

                foreach (var repodata in ChannelLoader.OpenLazy(channels[priority], platform, remote))
                {
                    opened.Add((repodata, priority));
                }
            }

            // Each file is indexed on its own, so the platform's and noarch's (and other channels') are indexed side by
            // side: on two cores, the time of the largest file instead of the sum.
            try
            {
                Parallel.ForEach(opened, o => (o.Item1 as LazyRepodata)?.BuildNameIndex(CacheFileOf(o.Item1)));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Throw(e.InnerException!);
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
