using System.Collections.Concurrent;
using Krait.Server.Metadata;

namespace Krait.Server.Metering;

/// <summary>
/// Counts package downloads without slowing serving: a download adds one to an in-memory count (a dictionary
/// increment, no IO), and every <see cref="FlushInterval"/> the counts are taken out and added to the database in
/// one transaction (additions, so several instances count into one database correctly). A crash loses at most the
/// counts of the last interval; a graceful stop flushes them.
/// </summary>
public sealed class DownloadMeter(MetadataStore store, ILogger<DownloadMeter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<DownloadKey, long> pending = new();

    public void Record(DownloadKey key) => pending.AddOrUpdate(key, 1, (_, count) => count + 1);

    /// <summary>Adds what was counted since the last flush to the database.</summary>
    /// <remarks>
    /// Counts are taken out key by key, each with a compare-and-swap to zero, and a zero entry is removed only while it
    /// is still zero: a download recorded during the flush is either taken now or left for the next one, never lost
    /// (swapping the whole dictionary lost a count that raced the swap: 9,999 of 10,000 in one CI run).
    /// </remarks>
    public void Flush()
    {
        var counted = new List<KeyValuePair<DownloadKey, long>>();
        foreach (var key in pending.Keys)
        {
            while (pending.TryGetValue(key, out var count) && count > 0)
            {
                if (pending.TryUpdate(key, 0, count))
                {
                    counted.Add(KeyValuePair.Create(key, count));
                    break;
                }
            }

            pending.TryRemove(KeyValuePair.Create(key, 0L));
        }

        if (counted.Count == 0)
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
