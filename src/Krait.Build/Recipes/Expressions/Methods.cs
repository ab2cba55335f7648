namespace Krait.Build.Recipes.Expressions;

/// <summary>The string methods and filters recipes use (<c>version.split('.')</c>, <c>name | lower</c>, <c>version | version_to_buildstring</c>).</summary>
internal static class Methods
{
    public static object? Invoke(object? target, string name, CallArguments arguments)
    {
        if (target is IMethodTarget special)
        {
            return special.Invoke(name, arguments);
        }

        if (target is not string text)
        {
            throw new ExpressionException($"{Values.Describe(target)} has no method '{name}'", arguments.Offset);
        }

        return name switch
        {
            "split" => Split(text, arguments),
            "upper" => text.ToUpperInvariant(),
            "lower" => text.ToLowerInvariant(),
            "strip" => text.Trim(),
            "replace" => text.Replace(arguments.RequireString(0, "old", name), arguments.RequireString(1, "new", name), StringComparison.Ordinal),
            "startswith" => text.StartsWith(arguments.RequireString(0, "prefix", name), StringComparison.Ordinal),
            "endswith" => text.EndsWith(arguments.RequireString(0, "suffix", name), StringComparison.Ordinal),
            _ => throw new ExpressionException($"strings have no method '{name}' here (split, upper, lower, strip, replace, startswith, endswith)", arguments.Offset),
        };
    }

    public static object? Filter(object? value, string name, CallArguments arguments) => name switch
    {
        "lower" or "upper" or "replace" or "split" => Invoke(value, name, arguments),
        "trim" => Invoke(value, "strip", arguments),
        "first" => value is IReadOnlyList<object?> { Count: > 0 } first ? first[0] : throw new ExpressionException("'first' needs a list with an item", arguments.Offset),
        "last" => value is IReadOnlyList<object?> { Count: > 0 } last ? last[^1] : throw new ExpressionException("'last' needs a list with an item", arguments.Offset),
        "length" => value switch
        {
            string s => (long)s.Length,
            IReadOnlyList<object?> l => (long)l.Count,
            _ => throw new ExpressionException($"'length' of {Values.Describe(value)}", arguments.Offset),
        },
        "join" => value is IReadOnlyList<object?> items
            ? string.Join(arguments.Get(0, "d", string.Empty) as string ?? string.Empty, items.Select(Values.Text))
            : throw new ExpressionException("'join' needs a list", arguments.Offset),
        "string" => Values.Text(value),
        "int" => long.TryParse(Values.Text(value), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0L,
        "default" => value ?? arguments.Get(0, "value"),
        "version_to_buildstring" => value is string version ? string.Concat(version.Split('.').Take(2)) : throw new ExpressionException("'version_to_buildstring' needs a version string", arguments.Offset),
        _ => throw new ExpressionException($"unknown filter '{name}' (lower, upper, replace, split, trim, first, last, length, join, string, int, default, version_to_buildstring)", arguments.Offset),
    };

    private static List<object?> Split(string text, CallArguments arguments)
    {
        var separator = arguments.Get(0, "sep") as string;
        var max = arguments.Get(1, "maxsplit") is long m ? (int)m : -1;
        if (separator is null)
        {
            return [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];
        }

        if (separator.Length == 0)
        {
            throw new ExpressionException("split() needs a separator that is not empty", arguments.Offset);
        }

        return [.. max < 0 ? text.Split(separator) : text.Split(separator, max + 1)];
    }
}

/// <summary>A value with methods of its own (<c>env.get('NAME')</c>).</summary>
public interface IMethodTarget
{
    object? Invoke(string name, CallArguments arguments);
}
