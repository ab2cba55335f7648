using Krait.Server.Metadata;

namespace Krait.Server.Mirrors;

/// <summary>Synchronises every mirror channel every <c>mirror_interval_seconds</c> (server.json; 0 turns the schedule off).</summary>
public sealed partial class MirrorSchedule(MetadataStore store, MirrorSync sync, TimeSpan interval, ILogger<MirrorSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var channel in store.Channels().Where(c => c.Mirror?.Mode == MirrorMode.Mirror))
            {
                try
                {
                    var report = await sync.SynchronizeAsync(channel, stoppingToken).ConfigureAwait(false);
                    Synchronized(logger, channel.Name, report.Added, report.Removed, report.Refused.Count);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException)
                {
                    Failed(logger, channel.Name, e.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mirror {Channel}: {Added} added, {Removed} removed, {Refused} refused")]
    private static partial void Synchronized(ILogger logger, string channel, int added, int removed, int refused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mirror {Channel}: synchronisation failed: {Reason}")]
    private static partial void Failed(ILogger logger, string channel, string reason);
}
