using Krait.Files;
using ZstdSharp;

namespace Krait.Index;

/// <summary>
/// Writes a subdir's channel files from its records, each atomically: <c>repodata_from_packages.json</c> (before
/// patches), <c>repodata.json</c> (+ <c>.zst</c>), the CEP-16 shards of the names whose records changed and the shard
/// index, and <c>run_exports.json</c>. Used by <c>krait index</c> (records from archives) and by the server
/// (records from its database).
/// </summary>
public sealed class SubdirWriter(string folder, string subdir, IndexOptions options)
{
    /// <summary>
    /// Writes every file; returns each name's shard hash. A name outside <paramref name="touched"/> (all are touched
    /// when it is null) keeps its shard from <paramref name="previousShards"/> if that file still exists.
    /// </summary>
    public Dictionary<string, byte[]> Write(SubdirView view, IReadOnlyDictionary<string, byte[]> previousShards, IReadOnlySet<string>? touched, out int shardsWritten)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(previousShards);
        Directory.CreateDirectory(folder);
        WriteFile(ChannelLayout.RepodataFromPackages, stream => RepodataDocument.Write(stream, subdir, options.BaseUrl, Rendered(view.UnpatchedTarBz2), Rendered(view.UnpatchedConda), []));
        WriteRepodata(view);
        shardsWritten = 0;
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (options.Shards)
        {
            hashes = WriteShards(view, previousShards, touched, out shardsWritten);
        }
        else
        {
            File.Delete(Path.Combine(folder, ChannelLayout.ShardIndex));
        }

        WriteFile(ChannelLayout.RunExports, stream => RunExportsDocument.Write(stream, subdir, [.. view.Packages.Values]));
        return hashes;
    }

    private void WriteRepodata(SubdirView view)
    {
        var path = Path.Combine(folder, ChannelLayout.Repodata);
        WriteFile(ChannelLayout.Repodata, stream => RepodataDocument.Write(stream, subdir, options.BaseUrl, Rendered(view.TarBz2), Rendered(view.Conda), view.Removed));
        var zst = Path.Combine(folder, ChannelLayout.RepodataZst);
        if (!options.Zstd)
        {
            File.Delete(zst);
            return;
        }

        ZstdFile.Compress(path, zst, options.ZstdLevel);
    }

    private static IEnumerable<KeyValuePair<string, byte[]>> Rendered(IEnumerable<KeyValuePair<string, byte[]>> records) =>
        records.Select(r => KeyValuePair.Create(r.Key, RecordFragments.Render(r.Value)));

    private Dictionary<string, byte[]> WriteShards(SubdirView view, IReadOnlyDictionary<string, byte[]> previous, IReadOnlySet<string>? touched, out int written)
    {
        written = 0;
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var compressor = new Compressor(3);
        foreach (var (name, records) in view.ByName())
        {
            if (touched is not null && !touched.Contains(name) && previous.TryGetValue(name, out var known) && File.Exists(ShardFiles.PathOf(folder, known)))
            {
                hashes[name] = known;
                continue;
            }

            var (hash, isNew) = ShardFiles.Write(folder, compressor, records.TarBz2, records.Conda);
            written += isNew ? 1 : 0;
            hashes[name] = hash;
        }

        ShardFiles.WriteIndex(folder, compressor, subdir, options.BaseUrl, hashes);
        ShardFiles.Retire(folder, previous.Values, hashes.Values, options.StaleShardLifetime);
        return hashes;
    }

    private void WriteFile(string fileName, Action<Stream> write) => AtomicFile.Write(Path.Combine(folder, fileName), write);
}
