using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;

namespace Krait.Repodata.Remote;

/// <summary>
/// One subdir of a channel that serves sharded repodata (CEP-16): the records of a name come from that name's shard,
/// fetched (and cached by its sha256) the first time the solver reaches the name, so a solve downloads only the
/// shards of the names its request can reach instead of the whole repodata.json.
/// </summary>
public sealed class ShardedSubdir
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

    public IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)index.Shards.Keys;

    /// <summary>Records the shards read so far held but Krait skipped, and why.</summary>
    public List<string> Warnings { get; } = [];

    public IReadOnlyList<PackageRecord> RecordsOf(string name)
    {
        if (!index.Shards.TryGetValue(name, out var sha256))
        {
            return [];
        }

        var compressed = fetcher.FetchShard(channel, subdir, index, sha256);
        using var decompressor = new ZstdSharp.Decompressor();
        return ShardFormat.ReadShard(decompressor.Unwrap(compressed).ToArray(), origin, index.BaseUrl, subdir, $"{Channel.Redact(channel.BaseUrl)}/{subdir}: the shard of {name}", Warnings);
    }
}
