using System.Collections.Concurrent;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;
using Krait.Repodata.Query;

namespace Krait.Repodata.Remote;

/// <summary>
/// One subdir of a channel that serves sharded repodata (CEP-16): the records of a name come from that name's shard,
/// fetched (and cached by its sha256) once, so a solve downloads only the shards of the names its request can reach
/// instead of the whole repodata.json. Safe to read from several threads (the gateway fetches shards concurrently).
/// </summary>
public sealed class ShardedSubdir : ISubdirSource
{
    private readonly RepodataFetcher fetcher;
    private readonly Channel channel;
    private readonly string subdir;
    private readonly ShardIndex index;
    private readonly RecordOrigin origin;

    internal ShardedSubdir(RepodataFetcher fetcher, Channel channel, string subdir, ShardIndex index)
    {
        this.fetcher = fetcher;
        this.channel = channel;
        this.subdir = subdir;
        this.index = index;
        origin = RecordOrigin.Of(channel, subdir);
        nameRanks = new(() =>
        {
            var names = index.Shards.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            var ranks = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                ranks[names[i]] = i;
            }

            return ranks;
        });
    }

    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<ListedRecord>>> records = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> warnings = new();
    private readonly Lazy<Dictionary<string, int>> nameRanks;

    public IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)index.Shards.Keys;

    /// <summary>Records the shards read so far held but Krait skipped, and why.</summary>
    public IReadOnlyList<string> Warnings => [.. warnings];

    public bool FetchesPerName => true;

    /// <summary>
    /// The records of <paramref name="name"/>: its shard fetched and read once, whichever thread asks first. They are
    /// placed by the name's rank in the shard index, then in the shard's order. (micromamba numbers shard records
    /// after sorting them all by version with an unstable sort, an order no other program can reproduce.)
    /// </summary>
    public IReadOnlyList<ListedRecord> InstallableRecordsOf(string name) =>
        index.Shards.TryGetValue(name, out var sha256)
            ? records.GetOrAdd(name, n => new Lazy<IReadOnlyList<ListedRecord>>(() => Place(n, Read(n, sha256)))).Value
            : [];

    private ListedRecord[] Place(string name, IReadOnlyList<PackageRecord> read)
    {
        var rank = nameRanks.Value[name];
        var listed = new ListedRecord[read.Count];
        for (var i = 0; i < read.Count; i++)
        {
            listed[i] = new ListedRecord(read[i], ((long)rank << 24) + i);
        }

        return listed;
    }

    /// <summary>Nothing is held open: each shard is read into memory.</summary>
    public void Dispose()
    {
    }

    private IReadOnlyList<PackageRecord> Read(string name, string sha256)
    {
        var compressed = fetcher.FetchShard(channel, subdir, index, sha256);
        using var decompressor = new ZstdSharp.Decompressor();
        var skipped = new List<string>();
        var read = ShardFormat.ReadShard(decompressor.Unwrap(compressed).ToArray(), origin, index.BaseUrl, subdir, $"{Channel.Redact(channel.BaseUrl)}/{subdir}: the shard of {name}", skipped);
        skipped.ForEach(warnings.Enqueue);
        return read;
    }
}
