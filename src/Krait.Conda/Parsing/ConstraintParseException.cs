namespace Krait.Conda;

/// <summary>
/// Text conda would reject (a version, a version spec, a package spec): the input, the zero-based position of
/// the offending character and the reason; the message reads "invalid KIND 'INPUT': REASON (at character N)".
/// </summary>
public abstract class ConstraintParseException : FormatException
{
    private protected ConstraintParseException(string kind, string input, int position, string reason, Exception? innerException)
        : base($"invalid {kind} '{input}': {reason} (at character {position + 1})", innerException)
    {
        Input = input;
        Position = position;
        Reason = reason;
    }

    private protected ConstraintParseException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        Input = string.Empty;
        Reason = message ?? string.Empty;
    }

    /// <summary>The text as given.</summary>
    public string Input { get; }

    /// <summary>Zero-based index of the offending character in <see cref="Input"/>.</summary>
    public int Position { get; }

    public string Reason { get; }
}
