using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Install.Environments;
using Krait.Install.Transactions;
using Krait.Packages;

namespace Krait.Cli.Remote;

/// <summary>The CLI's answer to the installer's request for archives: parallel, verified downloads over the command's network settings.</summary>
internal sealed class NetworkArchiveFetcher(RemoteAccess remote, IReadOnlyList<Channel> channels) : IArchiveFetcher
{
    public void Fetch(IReadOnlyList<PackageRecord> records, PackageCache cache, IProgress<TransactionProgress>? progress, CancellationToken cancellation)
    {
        if (remote.Offline)
        {
            throw new KraitException("CondaHTTPError", $"offline, and the package cache lacks {string.Join(", ", records.Select(r => r.ToString()))}", "run without --offline");
        }

        var downloads = records.Select(r => new PackageDownload(r, RemoteAccess.DownloadUrl(r, channels))).ToList();
        cache.Download(downloads, remote.Downloads, progress is null ? null : new DownloadStage(progress), cancellation);
    }

    /// <summary>Download progress as the transaction's first stage, for the one progress display.</summary>
    private sealed class DownloadStage(IProgress<TransactionProgress> inner) : IProgress<Krait.Networking.DownloadProgress>
    {
        public void Report(Krait.Networking.DownloadProgress value)
        {
            if (value.Done > 0)
            {
                inner.Report(new TransactionProgress("download", value.Name, value.Done, value.Count));
            }
        }
    }
}
