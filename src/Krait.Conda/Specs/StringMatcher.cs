using System.Text.RegularExpressions;
using Krait.Conda.Parsing;

namespace Krait.Conda.Specs;

/// <summary>
/// How conda matches names and build strings: exactly, by glob (<c>py36*</c>, <c>*nomkl*</c>), or by a
/// regex written <c>^…$</c>. Globs are matched without allocating (only <c>*</c> is special, as in conda).
/// </summary>
public sealed class StringMatcher
{
    private readonly string[]? globParts; // the text between the '*'s
    private readonly Regex? regex;

    private StringMatcher(string text, string[]? globParts, Regex? regex)
    {
        Text = text;
        this.globParts = globParts;
        this.regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    public bool IsExact => globParts is null && regex is null;

    /// <summary>The value an exact matcher accepts; null for globs and regexes.</summary>
    public string? ExactValue => IsExact ? Text : null;

    /// <summary>True for <c>*</c>.</summary>
    public bool MatchesAll => Text == "*";

    /// <summary>A matcher of exactly <paramref name="value"/>, with no glob or regex read into it.</summary>
    public static StringMatcher Exact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new StringMatcher(value, null, null);
    }

    /// <summary>Parses a pattern; throws <see cref="ArgumentException"/> for an invalid regex.</summary>
    public static StringMatcher Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 1 && text[0] == '^' && text[^1] == '$')
        {
            return new StringMatcher(text, null, BoundedRegex.Create(text));
        }

        return text.Contains('*', StringComparison.Ordinal)
            ? new StringMatcher(text, text.Split('*'), null)
            : new StringMatcher(text, null, null);
    }

    public bool Matches(string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (regex is not null)
        {
            return regex.IsMatch(value);
        }

        return globParts is null ? string.Equals(Text, value, StringComparison.Ordinal) : GlobMatches(value.AsSpan());
    }

    private bool GlobMatches(ReadOnlySpan<char> value)
    {
        var parts = globParts!;
        var first = parts[0];
        var last = parts[^1];
        if (value.Length < first.Length + last.Length || !value.StartsWith(first, StringComparison.Ordinal) || !value.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        // Middle parts are found greedily left to right between the fixed start and end.
        var rest = value[first.Length..^last.Length];
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = rest.IndexOf(parts[i], StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            rest = rest[(found + parts[i].Length)..];
        }

        return true;
    }

    public override string ToString() => Text;
}
