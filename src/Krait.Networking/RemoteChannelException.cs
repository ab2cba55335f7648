namespace Krait.Networking;

/// <summary>A remote channel or package that cannot be fetched: what, from where (tokens redacted) and what to do.</summary>
public sealed class RemoteChannelException : Exception
{
    public RemoteChannelException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException) => Hint = hint;

    public RemoteChannelException()
    {
    }

    public RemoteChannelException(string message)
        : base(message)
    {
    }

    public RemoteChannelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Hint { get; }
}
