using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Krait.Conda.Platforms;
using Krait.Files;
using Krait.Index;
using Krait.Repodata.Remote;
using Krait.Server.Metadata;
using Krait.Server.Storage;
using ZstdSharp;

namespace Krait.Server.Publishing;

/// <summary>
/// Makes a label's channel files from the metadata database (never from the archives again), incrementally: the
/// records of each published subdir are held in memory (<see cref="SubdirState"/>) and a publication reloads only the
/// rows of the package names changed since the records were read: by this upload, or by any other server instance
/// sharing the database (<see cref="MetadataStore.ChangesSince"/>). Per publication: the changed names' shards and the
/// shard index, then repodata.json (concatenated from rendered fragments), its .zst, run_exports.json, and
/// channeldata.json (only the changed names' entries recomputed). One publication per channel label at a time, across
/// every instance (<see cref="MetadataStore.LockAsync"/>); each file is replaced atomically (shards before the index
/// that names them), so clients see the old index or the new one. In a subdir of more than
/// <see cref="InlineMonolithRecords"/> records, the monolithic files (repodata.json, .zst, run_exports.json) are
/// rewritten in the background right after, bursts coalesced (<see cref="BackgroundWork"/>): the sharded index and
/// channeldata list an upload when its request returns, repodata.json seconds later (measured: bench/server.sh).
/// </summary>
public sealed class ChannelPublisher(MetadataStore store, ChannelStorage storage, ServerMetrics metrics, int zstdLevel) : IDisposable
{
    /// <summary>Subdirs up to this many records get their repodata.json and .zst before the publication returns.</summary>
    public const int InlineMonolithRecords = 50_000;

    private static readonly TimeSpan StaleShardLifetime = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubdirState> states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedDictionary<string, byte[]>> channelData = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> noarchPublished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, (byte[] Entry, long Downloads, byte[] Rendered)>> downloadFigures = new(StringComparer.Ordinal);
    private readonly BackgroundWork background = new();

    /// <summary>Publishes <paramref name="subdir"/> of a label (and an empty noarch if it has none yet), then channeldata; <paramref name="touchedNames"/> null means everything.</summary>
    public async Task PublishAsync(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, CancellationToken cancellation = default)
    {
        await using var held = await HoldAsync(channel, label, cancellation).ConfigureAwait(false);
        try
        {
            await PublishHeldAsync(channel, label, subdir, touchedNames, cancellation).ConfigureAwait(false);
        }
        catch
        {
            // What is held may now be ahead of what was stored (shards counted as written, say): read it all again next time.
            ForgetLabel(channel, label);
            throw;
        }
    }

    private async Task PublishHeldAsync(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var written = new List<string>();
        var shardIndexes = new List<(string Subdir, long Generation)>();
        var names = await CatchUpAsync(channel, label, subdir, touchedNames, cancellation).ConfigureAwait(false);
        await WriteSubdirAsync(channel, label, StateOf(channel, label, subdir), names, written, cancellation).ConfigureAwait(false);
        shardIndexes.Add((subdir, StateOf(channel, label, subdir).Generation));
        if (subdir != Platform.NoArch && !noarchPublished.ContainsKey(LabelKey(channel, label))
            && !await storage.ExistsAsync(Path.Combine(storage.IndexSubdirFolder(channel, label, Platform.NoArch), ChannelLayout.Repodata), cancellation).ConfigureAwait(false))
        {
            await CatchUpAsync(channel, label, Platform.NoArch, null, cancellation).ConfigureAwait(false);
            await WriteSubdirAsync(channel, label, StateOf(channel, label, Platform.NoArch), null, written, cancellation).ConfigureAwait(false);
            shardIndexes.Add((Platform.NoArch, StateOf(channel, label, Platform.NoArch).Generation));
        }

        noarchPublished[LabelKey(channel, label)] = true;
        await WriteChannelDataAsync(channel, label, names, written, cancellation).ConfigureAwait(false);
        await storage.PublishAsync(written, cancellation).ConfigureAwait(false);
        foreach (var published in shardIndexes)
        {
            store.SetShardIndexGeneration(channel, label, published.Subdir, published.Generation);
        }

        metrics.RecordIndexing(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Loads a label's records and channeldata entries ahead of the first upload (the server does it for every label at start, in the background).</summary>
    public async Task WarmAsync(string channel, string label, CancellationToken cancellation = default)
    {
        var gate = Gate(channel, label);
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var labelStates = new List<SubdirState>();
            foreach (var subdir in store.Subdirs(channel, label).Append(Platform.NoArch).Distinct())
            {
                await CatchUpAsync(channel, label, subdir, EmptyNames, cancellation).ConfigureAwait(false);
                labelStates.Add(StateOf(channel, label, subdir));
            }

            channelData.GetOrAdd(LabelKey(channel, label), _ => Rendered(ChannelData.Entries(labelStates.Select(s => Records(s, s.Entries)))));

            // A server stopped during a background rewrite left an older repodata.json: rewrite what is large, once, now.
            foreach (var state in labelStates.Where(s => s.Count > InlineMonolithRecords))
            {
                var subdir = state.Subdir;
                background.Schedule(storage.IndexSubdirFolder(channel, label, subdir), _ => WriteMonolithInBackgroundAsync(channel, label, subdir));
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets what is held of a deleted channel.</summary>
    public void Forget(string channel) => ForgetWhere(channel + "\n");

    private void ForgetLabel(string channel, string label) => ForgetWhere(LabelKey(channel, label));

    private void ForgetWhere(string keyPrefix)
    {
        foreach (var key in states.Keys.Concat(channelData.Keys).Concat(noarchPublished.Keys).Concat(downloadFigures.Keys).Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal)).ToList())
        {
            states.TryRemove(key, out _);
            channelData.TryRemove(key, out _);
            noarchPublished.TryRemove(key, out _);
            downloadFigures.TryRemove(key, out _);
        }
    }

    /// <summary>Waits for background compressions to finish (before a command exits, or a benchmark reads the .zst).</summary>
    public Task IdleAsync() => background.IdleAsync();

    public void Dispose()
    {
        // A graceful stop finishes the pending rewrites first, so that repodata.json is not left behind the shards.
        background.IdleAsync().Wait(TimeSpan.FromMinutes(2));
        background.Dispose();
        foreach (var gate in locks.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>The label's publication lock: first within this process, then across every instance sharing the database.</summary>
    private async Task<IAsyncDisposable> HoldAsync(string channel, string label, CancellationToken cancellation)
    {
        var gate = Gate(channel, label);
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return new Held(gate, await store.LockAsync($"publish {channel}/{label}", cancellation).ConfigureAwait(false));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private SemaphoreSlim Gate(string channel, string label) => locks.GetOrAdd(LabelKey(channel, label), _ => new SemaphoreSlim(1, 1));

    private SubdirState StateOf(string channel, string label, string subdir) =>
        states.GetOrAdd($"{LabelKey(channel, label)}\n{subdir}", _ => new SubdirState(subdir));

    /// <summary>
    /// Brings the held records of a subdir up to the database: loaded whole the first time (or when everything changed,
    /// or this instance is too far behind), else the rows of <paramref name="touchedNames"/> and of every name changed
    /// since reloaded. Returns the names reloaded, or null for everything. Called under the label's lock.
    /// </summary>
    private async Task<HashSet<string>?> CatchUpAsync(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, CancellationToken cancellation)
    {
        var state = StateOf(channel, label, subdir);

        // The generation is read before the rows: a change committed in between is then reloaded once more, never missed.
        var (generation, changed) = store.ChangesSince(channel, label, subdir, state.Loaded && touchedNames is not null ? state.Generation : long.MaxValue);
        if (changed is null)
        {
            var shards = await PreviousShardsAsync(storage.IndexSubdirFolder(channel, label, subdir), cancellation).ConfigureAwait(false);
            var rows = store.Files(channel, label, subdir);

            // The stored shard index is of some generation: only what changed since needs new shards (after a restart, one upload writes one shard, not all).
            var shardGeneration = shards.Count == 0 ? 0 : store.ShardIndexGeneration(channel, label, subdir);
            state.Load(rows, shards, shardGeneration == 0 ? null : store.ChangesSince(channel, label, subdir, shardGeneration).Names);
            state.Generation = generation;
            return null;
        }

        var names = new HashSet<string>(touchedNames ?? EmptyNames, StringComparer.Ordinal);
        names.UnionWith(changed);
        if (names.Count > 0)
        {
            state.Replace(names, store.Files(channel, label, subdir, names));
        }

        state.Generation = generation;
        return names;
    }

    private async Task WriteSubdirAsync(string channel, string label, SubdirState state, IReadOnlySet<string>? names, List<string> written, CancellationToken cancellation)
    {
        var folder = storage.IndexSubdirFolder(channel, label, state.Subdir);
        Directory.CreateDirectory(folder);
        await WriteShardsAsync(folder, state, names, written, cancellation).ConfigureAwait(false);
        if (state.Count > InlineMonolithRecords)
        {
            var subdir = state.Subdir;
            background.Schedule(folder, _ => WriteMonolithInBackgroundAsync(channel, label, subdir));
            return;
        }

        WriteMonolith(folder, state.Take(), written);
        if (storage.Objects is not null)
        {
            store.SetMonolithGeneration(channel, label, state.Subdir, state.Generation);
        }
    }

    /// <summary>
    /// A large subdir's repodata.json: the records are caught up and taken under the label's lock, written without it
    /// (uploads go on meanwhile); into an object store only if no instance stored a newer one meanwhile.
    /// </summary>
    private async Task WriteMonolithInBackgroundAsync(string channel, string label, string subdir)
    {
        SubdirState.Snapshot snapshot;
        long generation;
        await using (await HoldAsync(channel, label, CancellationToken.None).ConfigureAwait(false))
        {
            await CatchUpAsync(channel, label, subdir, EmptyNames, CancellationToken.None).ConfigureAwait(false);
            var state = StateOf(channel, label, subdir);
            snapshot = state.Take();
            generation = state.Generation;
        }

        var written = new List<string>();
        WriteMonolith(storage.IndexSubdirFolder(channel, label, subdir), snapshot, written);
        if (storage.Objects is null)
        {
            return;
        }

        await using (await HoldAsync(channel, label, CancellationToken.None).ConfigureAwait(false))
        {
            if (store.MonolithGeneration(channel, label, subdir) < generation)
            {
                await storage.PublishAsync(written, CancellationToken.None).ConfigureAwait(false);
                store.SetMonolithGeneration(channel, label, subdir, generation);
            }
        }
    }

    /// <summary>repodata.json (concatenated from the rendered fragments), its .zst, and run_exports.json.</summary>
    private void WriteMonolith(string folder, SubdirState.Snapshot state, List<string> written)
    {
        var repodata = Path.Combine(folder, ChannelLayout.Repodata);
        AtomicFile.Write(repodata, stream => RepodataDocument.Write(
            stream,
            state.Subdir,
            baseUrl: null,
            state.TarBz2.Select(e => KeyValuePair.Create(e.Package.FileName, e.Fragment)),
            state.Conda.Select(e => KeyValuePair.Create(e.Package.FileName, e.Fragment)),
            removed: []));
        ZstdFile.Compress(repodata, Path.Combine(folder, ChannelLayout.RepodataZst), zstdLevel);
        AtomicFile.Write(Path.Combine(folder, ChannelLayout.RunExports), stream => RunExportsDocument.Write(
            stream, state.Subdir, state.TarBz2.Select(e => e.Package), state.Conda.Select(e => e.Package)));
        written.AddRange([repodata, Path.Combine(folder, ChannelLayout.RepodataZst), Path.Combine(folder, ChannelLayout.RunExports)]);
    }

    /// <summary>The shards of the changed names (and of names reloaded earlier but not yet written), then the shard index.</summary>
    private async Task WriteShardsAsync(string folder, SubdirState state, IReadOnlySet<string>? names, List<string> written, CancellationToken cancellation)
    {
        IEnumerable<string> rewrite = names is null || state.Unwritten is null ? [.. state.Names] : names.Union(state.Unwritten, StringComparer.Ordinal).ToList();
        var previous = state.ShardHashes.Values.ToList();
        var superseded = new List<byte[]>();
        using var compressor = new Compressor(3);
        foreach (var name in rewrite)
        {
            var old = state.ShardHashes.GetValueOrDefault(name);
            var entries = state.EntriesOf(name).ToList();
            if (entries.Count == 0)
            {
                state.ShardHashes.Remove(name);
            }
            else
            {
                var tarBz2 = entries.Where(e => !ChannelLayout.IsConda(e.Package.FileName)).Select(e => KeyValuePair.Create(e.Package.FileName, e.Package.Record)).ToList();
                var conda = entries.Where(e => ChannelLayout.IsConda(e.Package.FileName)).Select(e => KeyValuePair.Create(e.Package.FileName, e.Package.Record)).ToList();
                var (hash, isNew) = ShardFiles.Write(folder, compressor, tarBz2, conda);
                state.ShardHashes[name] = hash;
                if (isNew)
                {
                    written.Add(ShardFiles.PathOf(folder, hash));
                }
            }

            if (old is not null && (!state.ShardHashes.TryGetValue(name, out var now) || !now.AsSpan().SequenceEqual(old)))
            {
                superseded.Add(old);
            }
        }

        foreach (var stale in state.ShardHashes.Keys.Where(n => !state.EntriesOf(n).Any()).ToList())
        {
            state.ShardHashes.Remove(stale);
        }

        ShardFiles.WriteIndex(folder, compressor, state.Subdir, baseUrl: null, state.ShardHashes);
        written.Add(Path.Combine(folder, ChannelLayout.ShardIndex));
        state.Written();

        // Looking at every shard file's age costs a stat per name (a listing in an object store): done on full
        // publications and at most hourly; in between, only the shards this publication superseded start their week.
        if (names is null || DateTime.UtcNow - state.LastRetirement > TimeSpan.FromHours(1))
        {
            await storage.RetireShardsAsync(folder, previous, [.. state.ShardHashes.Values], StaleShardLifetime, cancellation).ConfigureAwait(false);
            state.LastRetirement = DateTime.UtcNow;
        }
        else
        {
            await storage.SupersedeShardsAsync(folder, superseded, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>channeldata.json of the label, its entries kept between publications and recomputed for the changed names only (of any of its subdirs).</summary>
    private async Task WriteChannelDataAsync(string channel, string label, HashSet<string>? names, List<string> written, CancellationToken cancellation)
    {
        var subdirs = store.Subdirs(channel, label).Append(Platform.NoArch).Distinct().ToList();
        var changed = names is null ? null : new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var subdir in subdirs)
        {
            var caughtUp = await CatchUpAsync(channel, label, subdir, EmptyNames, cancellation).ConfigureAwait(false);
            if (caughtUp is null)
            {
                changed = null;
            }
            else
            {
                changed?.UnionWith(caughtUp);
            }
        }

        var labelStates = subdirs.Select(s => StateOf(channel, label, s)).ToList();
        var known = channelData.TryGetValue(LabelKey(channel, label), out var cached) ? cached : null;
        if (known is null || changed is null)
        {
            known = Rendered(ChannelData.Entries(labelStates.Select(s => Records(s, s.Entries))));
            channelData[LabelKey(channel, label)] = known;
        }
        else
        {
            var recomputed = ChannelData.Entries(labelStates.Select(s => Records(s, changed.SelectMany(s.EntriesOf))));
            foreach (var name in changed)
            {
                if (recomputed.TryGetValue(name, out var entry))
                {
                    known[name] = ChannelData.RenderEntry(entry);
                }
                else
                {
                    known.Remove(name);
                }
            }
        }

        var path = Path.Combine(storage.IndexFolder(channel, label), ChannelLayout.ChannelData);
        AtomicFile.Write(path, ChannelData.Render(WithDownloads(channel, label, known), subdirs));
        written.Add(path);
    }

    /// <summary>
    /// The entries with each package's downloads so far (<c>"downloads"</c>), from the counted totals: an entry is
    /// rendered again only when its figure or the entry itself changed since the last channeldata of the label.
    /// </summary>
    private IEnumerable<KeyValuePair<string, byte[]>> WithDownloads(string channel, string label, SortedDictionary<string, byte[]> entries)
    {
        var totals = store.DownloadTotals(channel);
        var figures = downloadFigures.GetOrAdd(LabelKey(channel, label), _ => new Dictionary<string, (byte[], long, byte[])>(StringComparer.Ordinal));
        foreach (var (name, entry) in entries)
        {
            if (!totals.TryGetValue(name, out var downloads) || downloads == 0)
            {
                yield return KeyValuePair.Create(name, entry);
                continue;
            }

            if (!figures.TryGetValue(name, out var known) || !ReferenceEquals(known.Entry, entry) || known.Downloads != downloads)
            {
                var parsed = JsonNode.Parse(entry)!.AsObject();
                parsed["downloads"] = downloads;
                known = (entry, downloads, ChannelData.RenderEntry(parsed));
                figures[name] = known;
            }

            yield return KeyValuePair.Create(name, known.Rendered);
        }
    }

    /// <summary>Writes a label's channeldata.json again, for its download figures (<see cref="Metering.DownloadFigures"/>).</summary>
    public async Task RefreshChannelDataAsync(string channel, string label, CancellationToken cancellation)
    {
        await using var held = await HoldAsync(channel, label, cancellation).ConfigureAwait(false);
        var written = new List<string>();
        await WriteChannelDataAsync(channel, label, [], written, cancellation).ConfigureAwait(false);
        await storage.PublishAsync(written, cancellation).ConfigureAwait(false);
    }

    private static readonly HashSet<string> EmptyNames = [];

    private static SortedDictionary<string, byte[]> Rendered(SortedDictionary<string, JsonObject> entries) =>
        new(entries.ToDictionary(e => e.Key, e => ChannelData.RenderEntry(e.Value), StringComparer.Ordinal), StringComparer.Ordinal);

    private static SubdirRecords Records(SubdirState state, IEnumerable<SubdirState.Entry> entries) =>
        new(state.Subdir, [.. entries.Select(e => (e.Package, e.Package.Record))]);

    private static string LabelKey(string channel, string label) => $"{channel}\n{label}";

    /// <summary>The shards the current index names (by name), when the server starts: names nobody touches keep them.</summary>
    private async Task<Dictionary<string, byte[]>> PreviousShardsAsync(string folder, CancellationToken cancellation)
    {
        var shards = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (await storage.ReadAsync(Path.Combine(folder, ChannelLayout.ShardIndex), cancellation).ConfigureAwait(false) is not { } index)
        {
            return shards;
        }

        try
        {
            using var decompressor = new Decompressor();
            foreach (var (name, hash) in ShardFormat.ReadIndex(decompressor.Unwrap(index).ToArray()).Shards)
            {
                shards[name] = Convert.FromHexString(hash);
            }
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or FormatException)
        {
            shards.Clear(); // rebuilt from the metadata: the database is the truth, the files only its image
        }

        return shards;
    }

    /// <summary>Both locks of a label, released in the reverse order.</summary>
    private sealed class Held(SemaphoreSlim gate, IAsyncDisposable shared) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await shared.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
