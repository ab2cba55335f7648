namespace Krait.Repodata.Channels;

/// <summary>A channel Krait cannot read: names the channel and what was looked for.</summary>
public sealed class ChannelNotFoundException : Exception
{
    public ChannelNotFoundException(string message)
        : base(message)
    {
    }

    public ChannelNotFoundException()
    {
    }

    public ChannelNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
