namespace Krait.Conda;

/// <summary>A version constraint conda would reject, with the offending position and the reason.</summary>
public sealed class InvalidVersionSpecException : FormatException
{
    public InvalidVersionSpecException(string input, int position, string reason, Exception? innerException = null)
        : base($"invalid version spec '{input}': {reason} (at character {position + 1})", innerException)
    {
        Input = input;
        Position = position;
        Reason = reason;
    }

    public InvalidVersionSpecException()
    {
        Input = string.Empty;
        Reason = string.Empty;
    }

    public InvalidVersionSpecException(string message)
        : base(message)
    {
        Input = string.Empty;
        Reason = message;
    }

    public InvalidVersionSpecException(string message, Exception innerException)
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
