namespace Krait.Index;

/// <summary>How a channel is indexed.</summary>
public sealed record IndexOptions
{
    /// <summary>Only these subdirs (plus <c>noarch</c>, always); empty means every subdir folder found.</summary>
    public IReadOnlyList<string> Subdirs { get; init; } = [];

    /// <summary>Write CEP-16 shards (<c>repodata_shards.msgpack.zst</c> and one shard per name).</summary>
    public bool Shards { get; init; } = true;

    /// <summary>Write <c>repodata.json.zst</c> beside <c>repodata.json</c>.</summary>
    public bool Zstd { get; init; } = true;

    /// <summary>
    /// The zstd level of <c>repodata.json.zst</c>: 16 as conda-index, since it is written once and fetched often; a
    /// server that re-indexes on every upload may trade size for time. Shards use level 3 (they are small and many).
    /// </summary>
    public int ZstdLevel { get; init; } = 16;

    /// <summary>CEP-15's <c>base_url</c> (where the packages are), which makes the repodata version 2; null for none.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>A patch package's name (rattler-index's form): its newest <c>.conda</c> in <c>noarch/</c> holds <c>SUBDIR/patch_instructions.json</c>.</summary>
    public string? PatchPackage { get; init; }

    /// <summary>Threads that read archives at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a shard no index names any more is kept (clients holding the previous index still fetch it).</summary>
    public TimeSpan StaleShardLifetime { get; init; } = TimeSpan.FromDays(7);
}
