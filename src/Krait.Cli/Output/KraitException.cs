namespace Krait.Cli.Output;

/// <summary>A failure to report to the user: the message, an optional hint, and the name conda gives such errors in JSON.</summary>
public sealed class KraitException : Exception
{
    public KraitException(string exceptionName, string message, string? hint = null)
        : base(message)
    {
        ExceptionName = exceptionName;
        Hint = hint;
    }

    public KraitException()
    {
        ExceptionName = nameof(KraitException);
    }

    public KraitException(string message)
        : base(message)
    {
        ExceptionName = nameof(KraitException);
    }

    public KraitException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExceptionName = nameof(KraitException);
    }

    /// <summary>conda's exception name, e.g. <c>PackagesNotFoundError</c>, used in <c>--json</c> output.</summary>
    public string ExceptionName { get; }

    public string? Hint { get; }
}
