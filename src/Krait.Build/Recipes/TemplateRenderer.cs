using System.Globalization;
using System.Text;
using Krait.Build.Recipes.Expressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Krait.Build.Recipes;

/// <summary>
/// Renders recipe YAML with a <see cref="RecipeScope"/>: <c>${{ … }}</c> in scalars is evaluated (a scalar that is one
/// whole expression keeps the value's type, a list or a pin included; otherwise the values are written into the
/// text), and list items of the form <c>{if: CONDITION, then: …, else: …}</c> become their chosen items.
/// Plain YAML scalars stay strings, as recipes mean them: <c>version: 1.10</c> is "1.10", not a number.
/// </summary>
public static class TemplateRenderer
{
    public static RecipeNode Render(YamlNode node, RecipeScope scope, string file)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node switch
        {
            YamlMappingNode mapping => RenderMap(mapping, scope, file),
            YamlSequenceNode sequence => new RecipeList(RenderItems(sequence, scope, file), file, node.Start.Line, node.Start.Column),
            YamlScalarNode scalar => new RecipeScalar(RenderScalar(scalar, scope, file), file, node.Start.Line, node.Start.Column),
            _ => throw new RecipeException(file, node.Start.Line, node.Start.Column, "aliases and tags are not used in recipes"),
        };
    }

    /// <summary>Evaluates <paramref name="text"/>, written at <paramref name="mark"/>, as a scalar of a recipe.</summary>
    public static object? RenderText(string text, RecipeScope scope, string file, Mark mark)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = text.IndexOf("${{", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var end = text.IndexOf("}}", start, StringComparison.Ordinal);
        if (start == 0 && end == text.Length - 2 && text.IndexOf("${{", 3, StringComparison.Ordinal) < 0)
        {
            return Evaluate(text[3..end], scope, file, mark, 3);
        }

        var result = new StringBuilder();
        var position = 0;
        while (start >= 0)
        {
            end = text.IndexOf("}}", start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error(file, mark, start, "'${{' is not closed with '}}'");
            }

            result.Append(text, position, start - position);
            var value = Evaluate(text[(start + 3)..end], scope, file, mark, start + 3);
            if (value is PinRequest or IReadOnlyList<object?>)
            {
                throw Error(file, mark, start, $"{Values.Describe(value)} cannot be written into text; give the expression a scalar of its own");
            }

            result.Append(Values.Text(value));
            position = end + 2;
            start = text.IndexOf("${{", position, StringComparison.Ordinal);
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private static RecipeMap RenderMap(YamlMappingNode mapping, RecipeScope scope, string file)
    {
        var entries = new List<KeyValuePair<string, RecipeNode>>();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new RecipeException(file, key.Start.Line, key.Start.Column, "keys must be plain names");
            }

            if (entries.Exists(e => e.Key == name))
            {
                throw new RecipeException(file, key.Start.Line, key.Start.Column, $"'{name}' is given twice");
            }

            entries.Add(new(name, Render(value, scope, file)));
        }

        return new RecipeMap(entries, file, mapping.Start.Line, mapping.Start.Column);
    }

    private static List<RecipeNode> RenderItems(YamlSequenceNode sequence, RecipeScope scope, string file)
    {
        var items = new List<RecipeNode>();
        foreach (var item in sequence)
        {
            if (item is YamlMappingNode conditional && conditional.Children.ContainsKey(new YamlScalarNode("if")))
            {
                items.AddRange(Choose(conditional, scope, file));
            }
            else
            {
                items.Add(Render(item, scope, file));
            }
        }

        return items;
    }

    /// <summary><c>- if: linux and x86_64</c> / <c>then: …</c> / <c>else: …</c>: the chosen branch's items (one, or a list of them).</summary>
    private static List<RecipeNode> Choose(YamlMappingNode conditional, RecipeScope scope, string file)
    {
        YamlNode? condition = null;
        YamlNode? then = null;
        YamlNode? otherwise = null;
        foreach (var (key, value) in conditional.Children)
        {
            switch ((key as YamlScalarNode)?.Value)
            {
                case "if":
                    condition = value;
                    break;
                case "then":
                    then = value;
                    break;
                case "else":
                    otherwise = value;
                    break;
                default:
                    throw new RecipeException(file, key.Start.Line, key.Start.Column, $"an 'if:' item has only 'then:' and 'else:', not '{(key as YamlScalarNode)?.Value}:'");
            }
        }

        if (condition is not YamlScalarNode { Value: { Length: > 0 } test } conditionNode)
        {
            throw new RecipeException(file, conditional.Start.Line, conditional.Start.Column, "'if:' needs a condition, such as 'if: linux'");
        }

        if (then is null)
        {
            throw new RecipeException(file, conditional.Start.Line, conditional.Start.Column, "an 'if:' item needs 'then:'");
        }

        // rattler-build writes conditions bare (if: linux); a condition wrapped in ${{ }} means the same.
        var outcome = test.Contains("${{", StringComparison.Ordinal) ? RenderText(test.Trim(), scope, file, conditionNode.Start) : Evaluate(test, scope, file, conditionNode.Start, 0);
        var chosen = Values.IsTrue(outcome) ? then : otherwise;
        return chosen switch
        {
            null => [],
            YamlSequenceNode list => RenderItems(list, scope, file),
            _ => [Render(chosen, scope, file)],
        };
    }

    private static object? RenderScalar(YamlScalarNode scalar, RecipeScope scope, string file)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style == ScalarStyle.Plain && value is "" or "~" or "null")
        {
            return null;
        }

        return RenderText(value, scope, file, scalar.Start);
    }

    private static object? Evaluate(string expression, RecipeScope scope, string file, Mark mark, int offsetInScalar)
    {
        try
        {
            return Expression.Parse(expression).Evaluate(scope);
        }
        catch (ExpressionException e)
        {
            throw Error(file, mark, offsetInScalar + e.Offset, $"{e.Message} (in '{expression.Trim()}')");
        }
    }

    private static RecipeException Error(string file, Mark mark, int offset, string problem) =>
        new(file, mark.Line, mark.Column + offset, problem);

    /// <summary>A scalar's text, as the recipe's typed readers want it (numbers as YAML wrote them).</summary>
    internal static string? TextOf(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Values.Text(value),
    };
}
