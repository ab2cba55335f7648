using System.Collections.Concurrent;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Networking;

namespace Krait.Packages;

/// <summary>One archive to fetch into the cache: its record, and the URL to fetch it from (a channel's token put back in).</summary>
public sealed record PackageDownload(PackageRecord Record, string Url);

public sealed partial class PackageCache
{
    /// <summary>
    /// Archives this process has verified, with the length and modification time they had then: a fresh download was
    /// hashed as it arrived, and is not read again to be checked before it is extracted.
    /// </summary>
    private readonly ConcurrentDictionary<string, (long Length, DateTime Modified, ExpectedDigest Digest)> verified = new(StringComparer.Ordinal);

    /// <summary>
    /// Downloads the archives into the writable cache folder, verified on the way (<see cref="FileDownloader"/>),
    /// and remembers them as verified. Each record's file name must be one safe segment naming that very package.
    /// </summary>
    public void Download(IReadOnlyList<PackageDownload> downloads, FileDownloader downloader, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(downloads);
        ArgumentNullException.ThrowIfNull(downloader);
        var requests = new List<DownloadRequest>(downloads.Count);
        foreach (var (record, url) in downloads)
        {
            _ = Stem(record); // refuses a file name that is not one safe segment naming this package
            requests.Add(new DownloadRequest(record.ToString(), url, Path.Combine(Directory, record.FileName), PackageVerifier.Expected(record)));
        }

        downloader.DownloadAll(requests, progress, cancellation);
        foreach (var request in requests)
        {
            Remember(request.Destination, request.Expected);
        }
    }

    /// <summary>Verifies <paramref name="archive"/> against <paramref name="record"/> unless this process already has.</summary>
    private void Verify(string archive, PackageRecord record)
    {
        var expected = PackageVerifier.Expected(record);
        var file = new FileInfo(archive);
        if (verified.TryGetValue(archive, out var known) && known.Digest == expected && file.Exists && file.Length == known.Length && file.LastWriteTimeUtc == known.Modified)
        {
            return;
        }

        PackageVerifier.Verify(archive, record);
        Remember(archive, expected);
    }

    private void Remember(string archive, ExpectedDigest expected)
    {
        var file = new FileInfo(archive);
        verified[archive] = (file.Length, file.LastWriteTimeUtc, expected);
    }
}
