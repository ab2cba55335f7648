using System.Security.Cryptography;
using Krait.Files;
using Krait.TestSupport;

namespace Krait.Networking.Tests;

/// <summary>Verified downloads against a real server on 127.0.0.1 serving the shared channels, with faults.</summary>
public sealed class FileDownloaderTests : IDisposable
{
    private static readonly RetryPolicy Quick = new(4, TimeSpan.FromMilliseconds(10));
    private readonly TempFolder scratch = new("download");
    private readonly ChannelServer server = ChannelServer.Start(RepoPaths.Channels);
    private readonly HttpClient http = new();

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        scratch.Dispose();
    }

    /// <summary>A download of a real archive of conda-test-recipes/noarch, expected to be what is on disk there.</summary>
    private DownloadRequest Request(string fileName, string folder = "pkgs", bool withSha256 = true)
    {
        var digest = FileDigest.Of(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", fileName));
        var expected = new ExpectedDigest(digest.Size, withSha256 ? digest.Sha256 : null, digest.Md5);
        return new DownloadRequest(fileName, $"{server.Url}/conda-test-recipes/noarch/{fileName}", Path.Combine(scratch, folder, fileName), expected);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Downloads_run_in_parallel_verified_and_retried_and_a_wrong_hash_is_refused()
    {
        var downloads = new[] { "dependency-1.0-0.conda", "dependent-1.0-0.conda", "dependent-2.0-0.conda", "versioned-1.0-0.conda", "versioned-2.0-0.conda", "small-executable-1.0-0.conda" }
            .Select(f => Request(f)).ToList();
        server.Inject("dependent-2.0-0.conda", Fault.Truncate);
        server.Inject("versioned-1.0-0.conda", Fault.ServerError);
        var progress = new List<DownloadProgress>();
        new FileDownloader(http, parallelism: 3) { Retry = Quick }.DownloadAll(downloads, new SynchronousProgress<DownloadProgress>(progress.Add));
        foreach (var download in downloads)
        {
            Assert.Equal(download.Expected.Sha256, Sha256(download.Destination));
        }

        Assert.Contains(progress, p => p.Done == downloads.Count);

        var corrupt = Request("dependency-2.0-0.conda", "pkgs2");
        server.Inject("dependency-2.0-0.conda", Fault.Corrupt);
        var refused = Assert.Throws<DigestMismatchException>(() => new FileDownloader(http) { Retry = Quick }.DownloadAll([corrupt]));
        Assert.Contains("has sha256", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not the " + corrupt.Expected.Sha256, refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(scratch, "pkgs2")));
    }

    [Fact]
    public void Md5_is_checked_when_the_record_has_no_sha256()
    {
        var corrupt = Request("dependency-2.0-0.conda", withSha256: false);
        server.Inject("dependency-2.0-0.conda", Fault.Corrupt);
        var refused = Assert.Throws<DigestMismatchException>(() => new FileDownloader(http) { Retry = Quick }.DownloadAll([corrupt]));
        Assert.Contains("has md5", refused.Message, StringComparison.Ordinal);

        var good = Request("dependency-1.0-0.conda", withSha256: false);
        new FileDownloader(http) { Retry = Quick }.DownloadAll([good]);
        Assert.True(File.Exists(good.Destination));
    }

    [Fact]
    public void A_download_cut_short_resumes_where_it_stopped_and_hashes_the_kept_bytes()
    {
        // A first download warms the client up: the server's cut-short answer must reach a reader that is already
        // reading, or the reset that follows it discards the half it sent before anyone read it.
        var downloader = new FileDownloader(http) { Retry = Quick };
        downloader.DownloadAll([Request("dependency-1.0-0.conda")]);
        var download = Request("python-3.99.99-0.conda");
        server.Inject("python-3.99.99-0.conda", Fault.Truncate, times: 2);
        downloader.DownloadAll([download]);
        Assert.Equal(download.Expected.Sha256, Sha256(download.Destination));
        var attempts = server.Requests.Where(r => r.Path.EndsWith("python-3.99.99-0.conda", StringComparison.Ordinal)).ToList();
        // Each cut is resumed with a range request (206); under load a cut can come before the client read any of it,
        // and the retry then starts over (200). At least one resume must have happened.
        Assert.Equal(3, attempts.Count);
        Assert.Equal(200, attempts[0].Status);
        Assert.Equal(206, attempts[^1].Status);
        Assert.False(File.Exists(download.Destination + ".partial"));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock gate = new();

        public void Report(T value)
        {
            lock (gate)
            {
                report(value);
            }
        }
    }
}
