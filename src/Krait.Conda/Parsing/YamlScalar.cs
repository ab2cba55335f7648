namespace Krait.Conda.Parsing;

/// <summary>
/// Writing one YAML scalar so that every YAML reader (PyYAML's 1.1 rules included) reads back the same text: plain
/// where that is safe, single-quoted where a plain one would be read differently.
/// </summary>
public static class YamlScalar
{
    /// <summary>
    /// Quoted when: empty, leading or trailing blanks, a leading indicator character, <c>": "</c> or <c>" #"</c>
    /// inside, a trailing colon, a word YAML reads as a boolean or null, or something a reader could take for a number,
    /// date or time (<c>0.1</c>, <c>1.10</c>, <c>3</c>, <c>2024-01-01</c>, <c>1:20</c>). <c>11.2.0</c> and a URL stay plain,
    /// as conda and conda-lock write them.
    /// </summary>
    public static string Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needsQuotes = value.Length == 0
            || value.Trim() != value
            || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
            || value.Contains(": ", StringComparison.Ordinal)
            || value.Contains(" #", StringComparison.Ordinal)
            || value.Contains('\n', StringComparison.Ordinal)
            || value.EndsWith(':')
            || value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~" or ".inf" or ".nan"
            || LooksNumeric(value);
        return needsQuotes ? $"'{value.Replace("'", "''", StringComparison.Ordinal)}'" : value;
    }

    /// <summary>Digits with at most one dot, and only the characters of numbers, dates and times around them (over-quoting is harmless).</summary>
    private static bool LooksNumeric(string value)
    {
        var digits = 0;
        var dots = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == '.')
            {
                dots++;
            }
            else if (c is not ('_' or ':' or '+' or '-' or 'e' or 'E' or 'x' or 'o' or 'T' or 'Z'))
            {
                return false;
            }
        }

        return digits > 0 && dots <= 1;
    }
}
