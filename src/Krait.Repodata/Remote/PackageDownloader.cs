using System.Buffers;
using System.Net;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Versions;

namespace Krait.Repodata.Remote;

/// <summary>One package archive to download: from where (the token already in the URL) to which file.</summary>
public sealed record Download(PackageRecord Record, string Url, string Destination);

/// <summary>Bytes received across all downloads, for a progress bar.</summary>
public readonly record struct DownloadProgress(string Package, long Bytes, long TotalBytes, int Done, int Count);

/// <summary>
/// Downloads package archives in parallel (conda's <c>fetch_threads</c>, 5 by default), each to a partial file next
/// to its destination, checked against the record's size and sha256 (else md5) before it is renamed into place: the
/// package cache never holds a partial or unverified archive under the archive's name. Broken connections and
/// server errors are retried, resuming where the last attempt stopped; a hash mismatch is not retried (the file is
/// simply not what the channel says) and its partial file is removed.
/// </summary>
public sealed class PackageDownloader(Func<HttpClient> http, int parallelism = 5)
{
    public PackageDownloader(HttpClient http, int parallelism = 5)
        : this(() => http, parallelism)
    {
    }

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public void DownloadAll(IReadOnlyList<Download> downloads, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(downloads);
        foreach (var download in downloads)
        {
            // The file is named by the record: it must be one segment that names that very package.
            var record = download.Record;
            var problem = PackageFileName.Problem(record.FileName, record.Name, record.Version, record.Build)
                ?? (Path.GetFileName(download.Destination) == record.FileName ? null : $"it would be saved as {download.Destination}");
            if (problem is not null)
            {
                throw new InvalidPackageRecordException("the download", record.FileName, problem);
            }
        }

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

    /// <summary>
    /// One archive. What an interrupted attempt already received stays in <c>DEST.partial</c> (opened exclusively, so
    /// two krait processes never write one file) and the next attempt asks only for the rest (an HTTP range); a server
    /// that ignores the range sends the whole file again, and the partial file starts over.
    /// </summary>
    private void DownloadOne(Download download, Action<int> onBytes)
    {
        var label = Channel.Redact(download.Url);
        Directory.CreateDirectory(Path.GetDirectoryName(download.Destination)!);
        var partial = download.Destination + ".partial";
        var keep = false;
        using var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, download.Url);
            var have = output.Length;
            if (have > 0 && (download.Record.Size is not { } listed || have < listed))
            {
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(have, null);
            }
            else
            {
                have = 0;
            }

            using var response = http().Send(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                throw new RemoteChannelException($"{label}: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode == HttpStatusCode.NotFound ? "the channel lists a file it does not serve: re-index it" : "the channel needs credentials: krait auth login HOST --token TOKEN, or a token in its URL (…/t/TOKEN/…)");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw RetryPolicy.StatusError(response);
            }

            if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != have)
            {
                have = 0;
            }

            output.SetLength(have);
            output.Position = have;
            keep = true;
            using (var body = response.Content.ReadAsStream())
            {
                Receive(download, body, output, onBytes, label);
            }

            output.Position = 0;
            var (size, md5, sha256) = ArchiveDigest.Of(output);
            if (download.Record.Size is { } expected && size < expected)
            {
                // Ended early without an error: the next attempt resumes from here.
                throw new IOException($"{label}: received {size} of the {expected} bytes the channel lists");
            }

            keep = false;
            Verify(download.Record, label, size, sha256, md5);
            output.Dispose();
            File.Move(partial, download.Destination, overwrite: true);
        }
        catch (Exception e) when (keep && RetryPolicy.IsTransient(e))
        {
            // Cut short on the way: what arrived is kept for the next attempt's range request.
            throw;
        }
        catch
        {
            output.Dispose();
            File.Delete(partial);
            throw;
        }
    }

    private static void Receive(Download download, Stream body, FileStream output, Action<int> onBytes, string label)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int read; (read = body.Read(buffer)) > 0;)
            {
                output.Write(buffer, 0, read);
                onBytes(read);
                if (download.Record.Size is { } limit && output.Position > limit)
                {
                    throw new RemoteChannelException($"{label}: the server sends more than the {limit} bytes the channel lists; the download was stopped");
                }
            }

            output.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
