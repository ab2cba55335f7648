using Krait.Server.Metadata;

namespace Krait.Server.Publishing;

/// <summary>At start, loads every channel label into the publisher in the background, so that the first upload to a large channel is as quick as the next.</summary>
public sealed class PublisherWarmUp(MetadataStore store, ChannelPublisher publisher, ServerMetrics metrics) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        foreach (var channel in store.Channels().Where(c => c.Mirror?.Mode != MirrorMode.Proxy))
        {
            foreach (var label in store.Labels(channel.Name))
            {
                await publisher.WarmAsync(channel.Name, label, stoppingToken).ConfigureAwait(false);
            }
        }

        metrics.Warm = true;
    }
}
