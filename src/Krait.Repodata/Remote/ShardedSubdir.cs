using System.Collections.Concurrent;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;

namespace Krait.Repodata.Remote;

/// <summary>
/// One subdir of a channel that serves sharded repodata (CEP-16): the records of a name come from that name's shard,
/// fetched (and cached by its sha256) once, so a solve downloads only the shards of the names its request can reach
/// instead of the whole repodata.json. Safe to read from several threads (the gateway fetches shards concurrently).
/// </summary>
public sealed class ShardedSubdir : Query.ISubdirSource
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
    }

    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<PackageRecord>>> records = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> warnings = new();

    public IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)index.Shards.Keys;

    /// <summary>Records the shards read so far held but Krait skipped, and why.</summary>
    public IReadOnlyList<string> Warnings => [.. warnings];

    public bool FetchesPerName => true;

    /// <summary>The records of <paramref name="name"/>: its shard fetched and read once, whichever thread asks first.</summary>
    public IReadOnlyList<PackageRecord> InstallableRecordsOf(string name) =>
        index.Shards.TryGetValue(name, out var sha256)
            ? records.GetOrAdd(name, n => new Lazy<IReadOnlyList<PackageRecord>>(() => Read(n, sha256))).Value
            : [];

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
