using System.Collections.Concurrent;
using System.Diagnostics;
using Krait.Conda.Platforms;
using Krait.Index;
using Krait.Repodata.Remote;
using Krait.Server.Metadata;
using Krait.Server.Storage;
using ZstdSharp;

namespace Krait.Server.Publishing;

/// <summary>
/// Makes a label's channel files from the metadata database (never from the archives again): for one subdir,
/// repodata.json (+ .zst), the shards of the names that changed and the shard index, run_exports.json; then the
/// label's channeldata.json. One publication per channel label at a time (this process serialises them), and each
/// file is replaced atomically, so clients see the old index or the new one.
/// </summary>
public sealed class ChannelPublisher(MetadataStore store, ChannelStorage storage, ServerMetrics metrics, int zstdLevel)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    /// <summary>Publishes <paramref name="subdir"/> of a label (and an empty noarch if it has none yet), then channeldata.</summary>
    public async Task PublishAsync(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, CancellationToken cancellation = default)
    {
        var gate = locks.GetOrAdd($"{channel}\n{label}", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var options = new IndexOptions { ZstdLevel = zstdLevel };
            WriteSubdir(channel, label, subdir, touchedNames, options);
            if (subdir != Platform.NoArch && !File.Exists(Path.Combine(storage.IndexSubdirFolder(channel, label, Platform.NoArch), ChannelLayout.Repodata)))
            {
                WriteSubdir(channel, label, Platform.NoArch, null, options);
            }

            var views = store.Subdirs(channel, label).Append(Platform.NoArch).Distinct()
                .Select(s => SubdirView.Build(s, Packages(channel, label, s), patches: null));
            AtomicFile.Write(Path.Combine(storage.IndexFolder(channel, label), ChannelLayout.ChannelData), ChannelData.Build(views));
            metrics.RecordIndexing(Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            gate.Release();
        }
    }

    private void WriteSubdir(string channel, string label, string subdir, IReadOnlySet<string>? touchedNames, IndexOptions options)
    {
        var folder = storage.IndexSubdirFolder(channel, label, subdir);
        var view = SubdirView.Build(subdir, Packages(channel, label, subdir), patches: null);
        new SubdirWriter(folder, subdir, options).Write(view, PreviousShards(folder), touchedNames, out _);
    }

    private List<IndexedPackage> Packages(string channel, string label, string subdir) =>
        [.. store.Files(channel, label, subdir).Select(row => new IndexedPackage(
            row.Filename, row.Size, 0, row.Name, row.Version, row.Timestamp, row.Record, row.About, row.RunExports, (PostInstall)row.PostInstall))];

    /// <summary>The shards the current index names (by name): names nobody touched keep them.</summary>
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
