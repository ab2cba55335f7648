namespace Krait.Conda.Parsing;

/// <summary>
/// Text conda would reject (a version, a version spec, a package spec): the input, the zero-based position of
/// the offending character and the reason; the message reads "invalid KIND 'INPUT': REASON (at character N)".
/// </summary>
public abstract class ConstraintParseException : FormatException
{
    private protected ConstraintParseException(string kind, string input, int position, string reason, Exception? innerException)
        : base($"invalid {kind} '{Excerpt(input, position)}': {reason} (at character {position + 1})", innerException)
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

    /// <summary>Input longer than a message should carry (a spec built to crash parsers) shown around the position only.</summary>
    private static string Excerpt(string input, int position)
    {
        const int Around = 40;
        if (input.Length <= 2 * Around + 20)
        {
            return input;
        }

        var start = Math.Clamp(position - Around, 0, input.Length);
        var end = Math.Clamp(position + Around, start, input.Length);
        return $"{(start > 0 ? "…" : string.Empty)}{input[start..end]}{(end < input.Length ? "…" : string.Empty)}";
    }

    /// <summary>The text as given.</summary>
    public string Input { get; }

    /// <summary>Zero-based index of the offending character in <see cref="Input"/>.</summary>
    public int Position { get; }

    public string Reason { get; }
}
