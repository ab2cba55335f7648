namespace Krait.Conda;

/// <summary>A version string conda would reject, with the offending position and the reason.</summary>
public sealed class InvalidVersionException : FormatException
{
    public InvalidVersionException(string input, int position, string reason)
        : base($"invalid version '{input}': {reason} (at character {position + 1})")
    {
        Input = input;
        Position = position;
        Reason = reason;
    }

    public InvalidVersionException()
    {
        Input = string.Empty;
        Reason = string.Empty;
    }

    public InvalidVersionException(string message)
        : base(message)
    {
        Input = string.Empty;
        Reason = message;
    }

    public InvalidVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Input = string.Empty;
        Reason = message;
    }

    /// <summary>The version as given.</summary>
    public string Input { get; }

    /// <summary>Zero-based index of the offending character in <see cref="Input"/>.</summary>
    public int Position { get; }

    public string Reason { get; }
}
