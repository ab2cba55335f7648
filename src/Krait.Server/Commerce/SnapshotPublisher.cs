using Krait.Conda.Platforms;
using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server.Commerce;

/// <summary>
/// Publishes a snapshot of a curated channel's sources: the channel's main label becomes exactly the main labels of
/// its source channels at this moment (the first source to have a file name wins). Archives are copied first, then
/// the channel's files change in one transaction, then its indexes are published: clients see the old snapshot or
/// the new one, never a mixture, and a failed copy changes nothing.
/// </summary>
public sealed class SnapshotPublisher(MetadataStore store, ChannelStorage storage, ChannelPublisher publisher)
{
    public async Task<SnapshotRow> PublishAsync(Actor actor, ChannelRow channel, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(channel);
        await using var held = await store.LockAsync($"snapshot {channel.Name}", cancellation).ConfigureAwait(false);
        var sources = store.Sources(channel.Name);
        var wanted = new Dictionary<(string Subdir, string Filename), PackageFileRow>();
        foreach (var source in sources)
        {
            foreach (var file in store.FilesOf(source))
            {
                if (file.Label == ServerNames.MainLabel)
                {
                    wanted.TryAdd((file.Subdir, file.Filename), file);
                }
            }
        }

        var current = store.FilesOf(channel.Name).Where(f => f.Label == ServerNames.MainLabel).ToDictionary(f => (f.Subdir, f.Filename));
        var put = new List<PackageFileRow>();
        foreach (var (key, file) in wanted)
        {
            if (!current.TryGetValue(key, out var existing) || existing.Sha256 != file.Sha256)
            {
                await storage.CopyArchiveAsync(file.Channel, file.Subdir, file.Filename, channel.Name, cancellation).ConfigureAwait(false);
                put.Add(Copy(file, channel.Name));
            }
        }

        var removed = current.Where(c => !wanted.ContainsKey(c.Key)).Select(c => c.Value).ToList();
        var id = store.ReplaceFiles(actor, channel.Name, put, removed, string.Join(", ", sources), wanted.Count);
        foreach (var gone in removed)
        {
            await storage.DeleteArchiveAsync(channel.Name, gone.Subdir, gone.Filename, cancellation).ConfigureAwait(false);
        }

        foreach (var subdir in put.Concat(removed).GroupBy(f => f.Subdir, StringComparer.Ordinal))
        {
            await publisher.PublishAsync(channel.Name, ServerNames.MainLabel, subdir.Key, subdir.Select(f => f.Name).ToHashSet(StringComparer.Ordinal), cancellation).ConfigureAwait(false);
        }

        if (!put.Concat(removed).Any(f => f.Subdir == Platform.NoArch))
        {
            await publisher.PublishAsync(channel.Name, ServerNames.MainLabel, Platform.NoArch, null, cancellation).ConfigureAwait(false);
        }

        return store.Snapshots(channel.Name).First(s => s.Id == id);
    }

    private static PackageFileRow Copy(PackageFileRow file, string channel) => new()
    {
        Channel = channel,
        Subdir = file.Subdir,
        Filename = file.Filename,
        Label = ServerNames.MainLabel,
        Name = file.Name,
        Version = file.Version,
        Sha256 = file.Sha256,
        Size = file.Size,
        Timestamp = file.Timestamp,
        Record = file.Record,
        About = file.About,
        RunExports = file.RunExports,
        PostInstall = file.PostInstall,
        Uploader = file.Uploader,
        Uploaded = file.Uploaded,
    };
}
