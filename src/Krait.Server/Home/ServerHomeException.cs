namespace Krait.Server.Home;

/// <summary>A server home that cannot be used as it is: missing, not initialised, or misconfigured. The message says what to do.</summary>
public sealed class ServerHomeException : Exception
{
    public ServerHomeException(string message)
        : base(message)
    {
    }

    public ServerHomeException()
    {
    }

    public ServerHomeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
