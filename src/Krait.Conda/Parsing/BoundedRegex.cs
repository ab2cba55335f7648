using System.Text.RegularExpressions;

namespace Krait.Conda.Parsing;

/// <summary>
/// The regexes of specs (<c>numpy[build='^py3.*$']</c>, <c>1.2|^1\.3\..*$</c>) come from users and, in
/// dependencies, from channels: a pattern such as <c>^(a*)*b$</c> makes a backtracking engine take exponential time.
/// They are run by .NET's non-backtracking engine, whose matching time is linear in the input whatever the pattern;
/// the constructs it cannot run (backreferences, lookarounds) and very long patterns are refused with a clear error.
/// </summary>
public static class BoundedRegex
{
    public const int MaxPatternLength = 1000;

    /// <summary>The compiled pattern; <see cref="ArgumentException"/> (with the reason) when it is refused.</summary>
    public static Regex Create(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length > MaxPatternLength)
        {
            throw new ArgumentException($"the regex is {pattern.Length} characters long; at most {MaxPatternLength} are accepted");
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"the regex uses a construct Krait does not run, because it could take unbounded time ({e.Message})", e);
        }
    }
}
