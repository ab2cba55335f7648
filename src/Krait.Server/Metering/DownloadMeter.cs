using System.Collections.Concurrent;
using Krait.Server.Metadata;

namespace Krait.Server.Metering;

/// <summary>
/// Counts package downloads without slowing serving: a download adds one to an in-memory count (a dictionary
/// increment, no IO), and every <see cref="FlushInterval"/> the counts are swapped out and added to the database in
/// one transaction (additions, so several instances count into one database correctly). A crash loses at most the
/// counts of the last interval; a graceful stop flushes them.
/// </summary>
public sealed class DownloadMeter(MetadataStore store, ILogger<DownloadMeter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private ConcurrentDictionary<DownloadKey, long> pending = new();

    public void Record(DownloadKey key) => pending.AddOrUpdate(key, 1, (_, count) => count + 1);

    /// <summary>Adds what was counted since the last flush to the database.</summary>
    public void Flush()
    {
        var counted = Interlocked.Exchange(ref pending, new ConcurrentDictionary<DownloadKey, long>());
        if (counted.IsEmpty)
        {
            return;
        }

        try
        {
            store.AddDownloads(counted);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The database is away for a moment: keep the counts for the next flush rather than lose them.
            foreach (var (key, count) in counted)
            {
                pending.AddOrUpdate(key, count, (_, now) => now + count);
            }

            logger.LogWarning(e, "could not store {Count} download counts; keeping them for the next flush", counted.Count);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }
}
