namespace Krait.Conda;

/// <summary>A package spec conda would reject, with the offending position and the reason.</summary>
public sealed class InvalidMatchSpecException : FormatException
{
    public InvalidMatchSpecException(string input, int position, string reason, Exception? innerException = null)
        : base($"invalid spec '{input}': {reason} (at character {position + 1})", innerException)
    {
        Input = input;
        Position = position;
        Reason = reason;
    }

    public InvalidMatchSpecException()
    {
        Input = string.Empty;
        Reason = string.Empty;
    }

    public InvalidMatchSpecException(string message)
        : base(message)
    {
        Input = string.Empty;
        Reason = message;
    }

    public InvalidMatchSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Input = string.Empty;
        Reason = message;
    }

    public string Input { get; }

    /// <summary>Zero-based index of the offending character in <see cref="Input"/>.</summary>
    public int Position { get; }

    public string Reason { get; }
}
