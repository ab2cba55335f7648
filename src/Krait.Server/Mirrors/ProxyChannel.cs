using System.Collections.Concurrent;
using Krait.Files;
using Krait.Index;
using Krait.Packages;
using Krait.Server.Http;
using Krait.Server.Metadata;
using Krait.Server.Storage;
using Krait.Server.Uploads;

namespace Krait.Server.Mirrors;

/// <summary>
/// A proxy channel (<c>mirror_mode: proxy</c>): its repodata is the upstream's, fetched when asked for and at most
/// every max-age, without <c>base_url</c> so that packages come through the proxy; a package is fetched from the
/// upstream the first time it is asked for, verified against the upstream's record, and served from the cache from
/// then on, also while the upstream is down.
/// </summary>
public sealed class ProxyChannel(ChannelStorage storage, Upstream upstream, TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    /// <summary>The local copy of the upstream's <paramref name="file"/> (repodata.json or .zst) for a subdir, or null when the upstream has none.</summary>
    public string? IndexFile(ChannelRow channel, MirrorSettings mirror, string subdir, string file)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(mirror);
        if (file is not (ChannelLayout.Repodata or ChannelLayout.RepodataZst))
        {
            return null;
        }

        var folder = storage.IndexSubdirFolder(channel.Name, ServerNames.MainLabel, subdir);
        var local = Path.Combine(folder, ChannelLayout.Repodata);
        var gate = locks.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        gate.Wait();
        try
        {
            if (!File.Exists(local) || DateTime.UtcNow - File.GetLastWriteTimeUtc(local) > maxAge)
            {
                if (upstream.Repodata(mirror.Url, subdir) is not { } fetched)
                {
                    return null;
                }

                Upstream.Localize(fetched, folder);
            }
        }
        finally
        {
            gate.Release();
        }

        return Path.Combine(folder, file);
    }

    /// <summary>The cached package (fetched and verified first if needed) and its sha256, or null when the upstream does not list it.</summary>
    public (string Path, string Sha256)? Package(ChannelRow channel, MirrorSettings mirror, string subdir, string fileName)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(mirror);
        var archive = storage.ArchivePath(channel.Name, subdir, fileName);
        var known = upstream.Records(mirror.Url, subdir);
        if (!known.TryGetValue(fileName, out var record) || record.Sha256 is not { Length: 64 } sha256)
        {
            return File.Exists(archive) ? (archive, FileDigest.Of(archive).Sha256) : null;
        }

        var gate = locks.GetOrAdd(archive, _ => new SemaphoreSlim(1, 1));
        gate.Wait();
        try
        {
            if (!File.Exists(archive))
            {
                Fetch(mirror, subdir, record, archive);
            }
        }
        finally
        {
            gate.Release();
        }

        return (archive, sha256);
    }

    /// <summary>
    /// Downloads a package into the cache: verified against the upstream's record, then checked like an upload (an
    /// upstream's own sha256 proves only that it serves what it lists, not that what it lists is safe to install).
    /// </summary>
    private void Fetch(MirrorSettings mirror, string subdir, Conda.Records.PackageRecord record, string archive)
    {
        var temporary = storage.NewTemporaryFolder();
        try
        {
            var fetched = Path.Combine(temporary, record.FileName);
            upstream.Download(mirror.Url, subdir, record, fetched);
            ArchiveAdmission.Check(fetched, temporary, subdir);
            Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
            File.Move(fetched, archive, overwrite: true);
        }
        catch (DigestMismatchException e)
        {
            throw new ApiException(502, $"the upstream served {record.FileName} unlike its own record: {e.Message}");
        }
        catch (HostileArchiveException e)
        {
            throw new ApiException(502, $"the upstream's {subdir}/{record.FileName} was refused: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or Networking.RemoteChannelException)
        {
            throw new ApiException(502, $"the upstream {mirror.Url} cannot give {subdir}/{record.FileName} now ({e.Message}); try again later");
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }
}
