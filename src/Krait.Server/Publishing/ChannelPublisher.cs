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
/// records of each published subdir are held in memory (<see cref="SubdirState"/>) and an upload reloads only the
/// rows of the package names it touched. Per publication: the touched names' shards and the shard index, then
/// repodata.json (concatenated from rendered fragments), its .zst, run_exports.json, and channeldata.json (only the
/// touched names' entries recomputed). One publication per channel label at a time; each file is replaced
/// atomically, so clients see the old index or the new one. In a subdir of more than
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
    private readonly BackgroundWork background = new();

    /// <summary>Publishes <paramref name="subdir"/> of a label (and an empty noarch if it has none yet), then channeldata; <paramref name="touchedNames"/> null means everything.</summary>
    public async Task PublishAsync(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, CancellationToken cancellation = default)
    {
        var gate = locks.GetOrAdd(LabelKey(channel, label), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var state = State(channel, label, subdir, touchedNames);
            WriteSubdir(channel, label, state, touchedNames);
            if (subdir != Platform.NoArch && !File.Exists(Path.Combine(storage.IndexSubdirFolder(channel, label, Platform.NoArch), ChannelLayout.Repodata)))
            {
                WriteSubdir(channel, label, State(channel, label, Platform.NoArch, null), null);
            }

            WriteChannelData(channel, label, touchedNames);
            metrics.RecordIndexing(Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Loads a label's records and channeldata entries ahead of the first upload (the server does it for every label at start, in the background).</summary>
    public async Task WarmAsync(string channel, string label, CancellationToken cancellation = default)
    {
        var gate = locks.GetOrAdd(LabelKey(channel, label), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var labelStates = store.Subdirs(channel, label).Append(Platform.NoArch).Distinct().Select(s => State(channel, label, s, EmptyNames)).ToList();
            channelData.GetOrAdd(LabelKey(channel, label), _ => Rendered(ChannelData.Entries(labelStates.Select(s => Records(s, s.Entries)))));

            // A server stopped during a background rewrite left an older repodata.json: rewrite what is large, once, now.
            foreach (var state in labelStates.Where(s => s.Count > InlineMonolithRecords))
            {
                var folder = storage.IndexSubdirFolder(channel, label, state.Subdir);
                background.Schedule(folder, _ => WriteMonolithLocked(channel, label, folder, state));
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets what is held of a deleted channel.</summary>
    public void Forget(string channel)
    {
        foreach (var key in states.Keys.Concat(channelData.Keys).Where(k => k.StartsWith(channel + "\n", StringComparison.Ordinal)))
        {
            states.TryRemove(key, out _);
            channelData.TryRemove(key, out _);
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

    /// <summary>The subdir's records, loaded whole the first time (or when everything changed), else only the touched names reloaded.</summary>
    private SubdirState State(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames)
    {
        var state = states.GetOrAdd($"{LabelKey(channel, label)}\n{subdir}", _ => new SubdirState(subdir));
        if (!state.Loaded || touchedNames is null)
        {
            state.Load(store.Files(channel, label, subdir), PreviousShards(storage.IndexSubdirFolder(channel, label, subdir)));
        }
        else if (touchedNames.Count > 0)
        {
            state.Replace(touchedNames, store.Files(channel, label, subdir, touchedNames));
        }

        return state;
    }

    private void WriteSubdir(string channel, string label, SubdirState state, IReadOnlySet<string>? touchedNames)
    {
        var folder = storage.IndexSubdirFolder(channel, label, state.Subdir);
        Directory.CreateDirectory(folder);
        WriteShards(folder, state, touchedNames);
        if (state.Count <= InlineMonolithRecords)
        {
            WriteMonolith(folder, state.Take());
            return;
        }

        background.Schedule(folder, _ => WriteMonolithLocked(channel, label, folder, state));
    }

    /// <summary>Takes a snapshot of the records under the label's lock (entries are immutable), then writes without holding it, so uploads go on meanwhile.</summary>
    private async Task WriteMonolithLocked(string channel, string label, string folder, SubdirState state)
    {
        var gate = locks.GetOrAdd(LabelKey(channel, label), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync().ConfigureAwait(false);
        SubdirState.Snapshot snapshot;
        try
        {
            snapshot = state.Take();
        }
        finally
        {
            gate.Release();
        }

        WriteMonolith(folder, snapshot);
    }

    /// <summary>repodata.json (concatenated from the rendered fragments), its .zst, and run_exports.json.</summary>
    private void WriteMonolith(string folder, SubdirState.Snapshot state)
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
    }

    private static void WriteShards(string folder, SubdirState state, IReadOnlySet<string>? touchedNames)
    {
        var previous = state.ShardHashes.Values.ToList();
        var superseded = new List<byte[]>();
        using var compressor = new Compressor(3);
        foreach (var name in touchedNames ?? (IEnumerable<string>)[.. state.Names])
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
                state.ShardHashes[name] = ShardFiles.Write(folder, compressor, tarBz2, conda).Hash;
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

        // Looking at every shard file's age costs a stat per name: done on full publications and at most hourly;
        // in between, only the shards this publication superseded start their week.
        if (touchedNames is null || DateTime.UtcNow - state.LastRetirement > TimeSpan.FromHours(1))
        {
            ShardFiles.Retire(folder, previous, state.ShardHashes.Values, StaleShardLifetime);
            state.LastRetirement = DateTime.UtcNow;
        }
        else
        {
            ShardFiles.Supersede(folder, superseded);
        }
    }

    /// <summary>channeldata.json of the label, its entries kept between publications and recomputed for the touched names only.</summary>
    private void WriteChannelData(string channel, string label, IReadOnlySet<string>? touchedNames)
    {
        var subdirs = store.Subdirs(channel, label).Append(Platform.NoArch).Distinct().ToList();
        var labelStates = subdirs.Select(s => State(channel, label, s, EmptyNames)).ToList();
        var known = channelData.TryGetValue(LabelKey(channel, label), out var cached) ? cached : null;
        if (known is null || touchedNames is null)
        {
            known = Rendered(ChannelData.Entries(labelStates.Select(s => Records(s, s.Entries))));
            channelData[LabelKey(channel, label)] = known;
        }
        else
        {
            var recomputed = ChannelData.Entries(labelStates.Select(s => Records(s, touchedNames.SelectMany(s.EntriesOf))));
            foreach (var name in touchedNames)
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

        AtomicFile.Write(Path.Combine(storage.IndexFolder(channel, label), ChannelLayout.ChannelData), ChannelData.Render(known, subdirs));
    }

    private static readonly HashSet<string> EmptyNames = [];

    private static SortedDictionary<string, byte[]> Rendered(SortedDictionary<string, JsonObject> entries) =>
        new(entries.ToDictionary(e => e.Key, e => ChannelData.RenderEntry(e.Value), StringComparer.Ordinal), StringComparer.Ordinal);

    private static SubdirRecords Records(SubdirState state, IEnumerable<SubdirState.Entry> entries) =>
        new(state.Subdir, [.. entries.Select(e => (e.Package, e.Package.Record))]);

    private static string LabelKey(string channel, string label) => $"{channel}\n{label}";

    /// <summary>The shards the current index names (by name), when the server starts: names nobody touches keep them.</summary>
    private static Dictionary<string, byte[]> PreviousShards(string folder)
    {
        var path = Path.Combine(folder, ChannelLayout.ShardIndex);
        var shards = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return shards;
        }

        try
        {
            using var decompressor = new Decompressor();
            foreach (var (name, hash) in ShardFormat.ReadIndex(decompressor.Unwrap(File.ReadAllBytes(path)).ToArray()).Shards)
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
}
