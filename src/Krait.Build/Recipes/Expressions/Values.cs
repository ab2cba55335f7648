using System.Globalization;

namespace Krait.Build.Recipes.Expressions;

/// <summary>Jinja's rules for the values expressions make: strings, whole numbers, floats, booleans, none and lists.</summary>
public static class Values
{
    /// <summary>Jinja's truth: none, false, 0, "" and [] are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>How a value is written into a string, as Jinja writes it (<c>True</c>, <c>None</c> as empty, <c>[…]</c>).</summary>
    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Text)) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    public static string Describe(object? value) => value switch
    {
        null => "none",
        bool => "a boolean",
        long or double => "a number",
        string => "a string",
        IReadOnlyList<object?> => "a list",
        _ => value.GetType().Name,
    };

    public static bool Equal(object? left, object? right) => (left, right) switch
    {
        (long a, double b) => a == b,
        (double a, long b) => a == b,
        (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => Equal(p.First, p.Second)),
        _ => Equals(left, right),
    };

    internal static bool Contains(object? container, object? item, int offset) => container switch
    {
        string text => item is string part ? text.Contains(part, StringComparison.Ordinal) : throw new ExpressionException("'in' a string needs a string", offset),
        IReadOnlyList<object?> list => list.Any(element => Equal(element, item)),
        _ => throw new ExpressionException($"'in' needs a string or a list, not {Describe(container)}", offset),
    };

    internal static bool Compare(string op, object? left, object? right, int offset)
    {
        int order = (left, right) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (long a, long b) => a.CompareTo(b),
            (long or double, long or double) => Convert.ToDouble(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(right, CultureInfo.InvariantCulture)),
            _ => throw new ExpressionException($"{Describe(left)} and {Describe(right)} cannot be compared with '{op}' (compare versions with match(value, '>=1.2'))", offset),
        };
        return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }

    internal static object Arithmetic(string op, object? left, object? right, int offset) => (op, left, right) switch
    {
        ("+", string a, string b) => a + b,
        ("+", IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Concat(b).ToList(),
        ("+", long a, long b) => a + b,
        ("-", long a, long b) => a - b,
        ("*", long a, long b) => a * b,
        ("/", long or double, long or double) when Convert.ToDouble(right, CultureInfo.InvariantCulture) != 0 => Convert.ToDouble(left, CultureInfo.InvariantCulture) / Convert.ToDouble(right, CultureInfo.InvariantCulture),
        (_, long or double, long or double) when op != "/" => Double(op, Convert.ToDouble(left, CultureInfo.InvariantCulture), Convert.ToDouble(right, CultureInfo.InvariantCulture)),
        _ => throw new ExpressionException($"'{op}' cannot combine {Describe(left)} and {Describe(right)}", offset),
    };

    private static double Double(string op, double a, double b) => op switch { "+" => a + b, "-" => a - b, _ => a * b };
}
