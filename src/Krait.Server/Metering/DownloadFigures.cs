using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server.Metering;

/// <summary>
/// Keeps the download figures of channeldata.json current: every interval, the channeldata of each label of the
/// channels with downloads counted since the last round is written again (a publication writes it too). Every
/// instance may do it; a label's publications take turns, so they never write at once.
/// </summary>
public sealed class DownloadFigures(MetadataStore store, ChannelPublisher publisher, TimeSpan interval, ILogger<DownloadFigures> logger) : BackgroundService
{
    private static readonly TimeSpan CommitMargin = TimeSpan.FromMinutes(1);

    /// <summary>Writes the channeldata of channels counted since <paramref name="since"/>; returns the next round's <paramref name="since"/>.</summary>
    public async Task<string> RefreshAsync(string since, CancellationToken cancellation)
    {
        // A flush stamps its totals before it commits: a round looks back past its own start by a margin, so that a
        // flush committed just after a round's query is still seen by the next round (a channel written twice is harmless).
        var began = (DateTime.UtcNow - CommitMargin).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var channel in store.ChannelsCountedSince(since))
        {
            // A proxy serves its upstream's channeldata.
            if (store.Channel(channel) is not { } row || row.Mirror?.Mode == MirrorMode.Proxy)
            {
                continue;
            }

            foreach (var label in store.Labels(channel).Append(ServerNames.MainLabel).Distinct())
            {
                await publisher.RefreshChannelDataAsync(channel, label, cancellation).ConfigureAwait(false);
            }
        }

        return began;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var since = (DateTime.UtcNow - CommitMargin).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    since = await RefreshAsync(since, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Data.Common.DbException or Amazon.S3.AmazonS3Exception)
                {
                    logger.LogWarning(e, "could not write channeldata.json again for its download figures; trying next round");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
