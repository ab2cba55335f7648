using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Krait.Conda;

namespace Krait.Repodata.Remote;

/// <summary>One package archive to download: from where (the token already in the URL) to which file.</summary>
public sealed record Download(PackageRecord Record, string Url, string Destination);

/// <summary>Bytes received across all downloads, for a progress bar.</summary>
public readonly record struct DownloadProgress(string Package, long Bytes, long TotalBytes, int Done, int Count);

/// <summary>
/// Downloads package archives in parallel (conda's <c>fetch_threads</c>, 5 by default), each to a temporary file next
/// to its destination, hashed while it streams and checked against the record's size and sha256 (else md5) before it
/// is renamed into place: the package cache never holds a partial or unverified archive. Broken connections and
/// server errors are retried; a hash mismatch is not (the file is simply not what the channel says).
/// </summary>
public sealed class PackageDownloader(HttpClient http, int parallelism = 5)
{
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public void DownloadAll(IReadOnlyList<Download> downloads, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(downloads);
        try
        {
            DownloadInParallel(downloads, progress, cancellation);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // One clear failure (the first), not a bundle of them.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private void DownloadInParallel(IReadOnlyList<Download> downloads, IProgress<DownloadProgress>? progress, CancellationToken cancellation)
    {
        var total = downloads.Sum(d => d.Record.Size ?? 0);
        long received = 0;
        var done = 0;
        Parallel.ForEach(downloads, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellation }, download =>
        {
            Retry.Run(Channel.Redact(download.Url), () =>
            {
                long mine = 0;
                try
                {
                    DownloadOne(download, bytes =>
                    {
                        mine += bytes;
                        progress?.Report(new DownloadProgress(download.Record.ToString(), Interlocked.Add(ref received, bytes), total, Volatile.Read(ref done), downloads.Count));
                    });
                }
                catch
                {
                    Interlocked.Add(ref received, -mine);
                    throw;
                }

                return true;
            });
            progress?.Report(new DownloadProgress(download.Record.ToString(), Volatile.Read(ref received), total, Interlocked.Increment(ref done), downloads.Count));
        });
    }

    private void DownloadOne(Download download, Action<int> onBytes)
    {
        var label = Channel.Redact(download.Url);
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, download.Url), HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw new RemoteChannelException($"{label}: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode == HttpStatusCode.NotFound ? "the channel lists a file it does not serve: re-index it" : "the channel needs credentials: krait auth login HOST --token TOKEN, or a token in its URL (…/t/TOKEN/…)");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(download.Destination)!);
        var partial = $"{download.Destination}.partial-{Guid.NewGuid():N}";
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5); // conda's older records carry only md5
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long size = 0;
            using (var body = response.Content.ReadAsStream())
            using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                for (int read; (read = body.Read(buffer)) > 0;)
                {
                    output.Write(buffer, 0, read);
                    sha256.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    size += read;
                    onBytes(read);
                    if (download.Record.Size is { } limit && size > limit)
                    {
                        throw new RemoteChannelException($"{label}: the server sends more than the {limit} bytes the channel lists; the download was stopped");
                    }
                }
            }

            Verify(download.Record, label, size, Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
            File.Move(partial, download.Destination, overwrite: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(partial);
        }
    }

    private static void Verify(PackageRecord record, string label, long size, string sha256, string md5)
    {
        if (record.Size is { } expected && expected != size)
        {
            // Fewer bytes than listed is a body cut short on the way: worth another try.
            throw new IOException($"{label}: received {size} of the {expected} bytes the channel lists");
        }

        if (record.Sha256 is { Length: > 0 } wanted ? !string.Equals(wanted, sha256, StringComparison.OrdinalIgnoreCase)
            : record.Md5 is { Length: > 0 } wantedMd5 && !string.Equals(wantedMd5, md5, StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteChannelException(
                $"{label}: the downloaded file's {(record.Sha256 is { Length: > 0 } ? $"sha256 {sha256}" : $"md5 {md5}")} is not the {(record.Sha256 is { Length: > 0 } ? $"sha256 {record.Sha256}" : $"md5 {record.Md5}")} the channel lists; it was not kept",
                "the channel or a proxy serves a different file than it indexes: re-index the channel, or report it to its owner");
        }
    }
}
