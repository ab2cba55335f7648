using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Index;
using Krait.Packages;
using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;
using Krait.Server.Uploads;

namespace Krait.Server.Mirrors;

/// <summary>What one synchronisation of a mirror channel did.</summary>
public sealed record SyncReport(int Added, int Removed, int Kept, IReadOnlyList<string> Refused);

/// <summary>
/// Synchronises a mirror channel (<c>mirror_mode: mirror</c>) with its upstream: every upstream record that
/// matches the channel's filter (all when it has none) is downloaded, verified against the record's sha256 and
/// size, checked like an upload, and kept with the upstream's record (its patches included); files the upstream
/// no longer lists leave the mirror. Each subdir is then published once.
/// </summary>
public sealed class MirrorSync(MetadataStore store, ChannelStorage storage, ChannelPublisher publisher, UploadService uploads, Upstream upstream)
{
    private const string Uploader = "mirror";

    public async Task<SyncReport> SynchronizeAsync(ChannelRow channel, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var mirror = channel.Mirror is { Mode: MirrorMode.Mirror } settings ? settings : throw new ArgumentException($"'{channel.Name}' is not a mirror channel");
        var specs = mirror.Specs;
        int added = 0, removed = 0, kept = 0;
        var refused = new List<string>();

        // Instances sharing a database take turns: the second finds the first's copies and keeps them.
        await using var held = await store.LockAsync($"mirror {channel.Name}", cancellation).ConfigureAwait(false);
        foreach (var subdir in Platform.KnownSubdirs)
        {
            cancellation.ThrowIfCancellationRequested();
            var records = upstream.Records(mirror.Url, subdir, revalidate: true);
            var existing = store.Files(channel.Name, ServerNames.MainLabel, subdir).ToDictionary(f => f.Filename, StringComparer.Ordinal);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (fileName, record) in records)
            {
                if (specs.Count > 0 && !specs.Any(s => s.Matches(record)))
                {
                    continue;
                }

                if (existing.Remove(fileName, out var have) && have.Sha256 == record.Sha256)
                {
                    kept++;
                    continue;
                }

                if (await CopyAsync(channel.Name, mirror, subdir, record, cancellation).ConfigureAwait(false) is { } problem)
                {
                    refused.Add($"{subdir}/{fileName}: {problem}");
                    continue;
                }

                touched.Add(record.Name);
                added++;
            }

            foreach (var gone in existing.Values.Where(f => f.Uploader == Uploader))
            {
                store.DeleteFile(channel.Name, subdir, gone.Filename);
                await storage.DeleteArchiveAsync(channel.Name, subdir, gone.Filename, cancellation).ConfigureAwait(false);
                touched.Add(gone.Name);
                removed++;
            }

            if (touched.Count > 0 || (records.Count > 0 && !await storage.ExistsAsync(Path.Combine(storage.IndexSubdirFolder(channel.Name, ServerNames.MainLabel, subdir), ChannelLayout.Repodata), cancellation).ConfigureAwait(false)))
            {
                await publisher.PublishAsync(channel.Name, ServerNames.MainLabel, subdir, touched, cancellation).ConfigureAwait(false);
            }
        }

        return new SyncReport(added, removed, kept, refused);
    }

    /// <summary>Downloads, verifies, checks and commits one upstream package; returns why it was refused, or null.</summary>
    private async Task<string?> CopyAsync(string channel, MirrorSettings mirror, string subdir, PackageRecord record, CancellationToken cancellation)
    {
        var temporary = storage.NewTemporaryFolder();
        try
        {
            var archive = Path.Combine(temporary, record.FileName);
            upstream.Download(mirror.Url, subdir, record, archive);
            var package = ArchiveAdmission.Check(archive, temporary, subdir);
            await uploads.CommitAsync(channel, subdir, archive, record.Sha256 ?? FileDigest.Of(archive).Sha256, package, RecordFragments.Compact(record), ServerNames.MainLabel, Uploader, replace: true, cancellation).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is HostileArchiveException or DigestMismatchException or HttpRequestException or IOException or Networking.RemoteChannelException or TaskCanceledException)
        {
            return e.Message;
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }
}
