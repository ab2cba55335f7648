using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Krait.Conda.Channels;
using Krait.Files;

namespace Krait.Networking;

/// <summary>One file to download: from where (a token may be in the URL), to which file, and what it must be.</summary>
/// <param name="Name">What to call it in progress and errors (a package's name-version-build).</param>
public sealed record DownloadRequest(string Name, string Url, string Destination, ExpectedDigest Expected);

/// <summary>Bytes received across all downloads, for a progress bar.</summary>
public readonly record struct DownloadProgress(string Name, long Bytes, long TotalBytes, int Done, int Count);

/// <summary>
/// Downloads files in parallel (conda's <c>fetch_threads</c>, 5 by default), each to a partial file next to its
/// destination, hashed as it is written and checked by <see cref="ExpectedDigest"/> before it is renamed into place:
/// the destination never holds a partial or unverified file, and no file is read back to be checked. Broken
/// connections and server errors are retried, resuming where the last attempt stopped; a file that is not what was
/// expected is not retried (the server would send the same one) and its partial file is removed.
/// </summary>
public sealed class FileDownloader(Func<HttpClient> http, int parallelism = 5)
{
    public FileDownloader(HttpClient http, int parallelism = 5)
        : this(() => http, parallelism)
    {
    }

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public void DownloadAll(IReadOnlyList<DownloadRequest> downloads, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
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

    private void DownloadInParallel(IReadOnlyList<DownloadRequest> downloads, IProgress<DownloadProgress>? progress, CancellationToken cancellation)
    {
        var total = downloads.Sum(d => d.Expected.Size ?? 0);
        long received = 0;
        var done = 0;
        Parallel.ForEach(downloads, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellation }, download =>
        {
            Retry.Run(UrlRedaction.RedactUrl(download.Url), () =>
            {
                long mine = 0;
                try
                {
                    DownloadOne(download, bytes =>
                    {
                        mine += bytes;
                        progress?.Report(new DownloadProgress(download.Name, Interlocked.Add(ref received, bytes), total, Volatile.Read(ref done), downloads.Count));
                    });
                }
                catch
                {
                    Interlocked.Add(ref received, -mine);
                    throw;
                }

                return true;
            });
            progress?.Report(new DownloadProgress(download.Name, Volatile.Read(ref received), total, Interlocked.Increment(ref done), downloads.Count));
        });
    }

    /// <summary>
    /// One file. What an interrupted attempt already received stays in <c>DEST.partial</c> (opened exclusively, so
    /// two krait processes never write one file) and the next attempt asks only for the rest (an HTTP range); a server
    /// that ignores the range sends the whole file again, and the partial file starts over.
    /// </summary>
    private void DownloadOne(DownloadRequest download, Action<int> onBytes)
    {
        var label = UrlRedaction.RedactUrl(download.Url);
        Directory.CreateDirectory(Path.GetDirectoryName(download.Destination)!);
        var partial = download.Destination + ".partial";
        var keep = false;
        using var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        using var hash = IncrementalHash.CreateHash(download.Expected.Algorithm ?? HashAlgorithmName.SHA256);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, download.Url);
            var have = output.Length;
            if (have > 0 && (download.Expected.Size is not { } listed || have < listed))
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
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

            // The bytes kept from an earlier attempt are hashed once, before the rest arrives behind them.
            output.SetLength(have);
            output.Position = 0;
            FileHash.Append(hash, output);
            keep = true;
            using (var body = response.Content.ReadAsStream())
            {
                Receive(body, output, hash, download.Expected.Size, onBytes, label);
            }

            output.Flush();
            if (download.Expected.Size is { } expected && output.Length < expected)
            {
                // Ended early without an error: the next attempt resumes from here.
                throw new IOException($"{label}: received {output.Length} of the {expected} bytes the channel lists");
            }

            keep = false;
            var problem = download.Expected.SizeMismatch(output.Length) ?? download.Expected.HashMismatch(Convert.ToHexStringLower(hash.GetHashAndReset()));
            if (problem is not null)
            {
                throw new DigestMismatchException(label, problem);
            }

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

    /// <summary>Appends the body to <paramref name="output"/> through the hash; a server that sends more than the channel lists is stopped.</summary>
    private static void Receive(Stream body, FileStream output, IncrementalHash hash, long? limit, Action<int> onBytes, string label)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int read; (read = body.Read(buffer)) > 0;)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                onBytes(read);
                if (limit is { } most && output.Position > most)
                {
                    throw new RemoteChannelException($"{label}: the server sends more than the {most} bytes the channel lists; the download was stopped");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
