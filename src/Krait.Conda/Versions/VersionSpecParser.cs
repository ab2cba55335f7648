using System.Text;
using System.Text.RegularExpressions;
using Krait.Conda.Parsing;

namespace Krait.Conda.Versions;

/// <summary>
/// Recursive descent over conda's version-spec grammar:
/// <c>or := and ('|' and)*</c>, <c>and := term (',' term)*</c>, <c>term := '(' or ')' | constraint</c>.
/// </summary>
internal sealed class VersionSpecParser
{
    /// <summary>How deep parentheses may nest: real specs use one or two levels; a hostile one, enough to overflow the stack.</summary>
    public const int MaxNesting = 64;

    private readonly string input;
    private int position;
    private int nesting;

    private VersionSpecParser(string input) => this.input = input;

    public static VersionSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new VersionSpecParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
        {
            throw new InvalidVersionSpecException(text, 0, "empty version spec");
        }

        var spec = parser.ParseOr();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            var reason = parser.Current == ')' ? "unbalanced ')'" : $"unexpected '{parser.Current}'";
            throw new InvalidVersionSpecException(text, parser.position, reason);
        }

        return spec;
    }

    private bool AtEnd => position >= input.Length;

    private char Current => input[position];

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            position++;
        }
    }

    private VersionSpec ParseOr()
    {
        var first = ParseAnd();
        List<VersionSpec>? parts = null;
        SkipSpace();
        while (!AtEnd && Current == '|')
        {
            position++;
            (parts ??= [first]).Add(ParseAnd());
            SkipSpace();
        }

        return parts is null ? first : new VersionSpecGroup(isAnd: false, [.. parts]);
    }

    private VersionSpec ParseAnd()
    {
        var first = ParseTerm();
        List<VersionSpec>? parts = null;
        SkipSpace();
        while (!AtEnd && Current == ',')
        {
            position++;
            (parts ??= [first]).Add(ParseTerm());
            SkipSpace();
        }

        return parts is null ? first : new VersionSpecGroup(isAnd: true, [.. parts]);
    }

    private VersionSpec ParseTerm()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw new InvalidVersionSpecException(input, Math.Max(0, input.Length - 1), "a version is missing at the end");
        }

        if (Current == '(')
        {
            var open = position++;
            if (++nesting > MaxNesting)
            {
                throw new InvalidVersionSpecException(input, open, $"parentheses nested more than {MaxNesting} deep");
            }

            var inner = ParseOr();
            nesting--;
            SkipSpace();
            if (AtEnd || Current != ')')
            {
                throw new InvalidVersionSpecException(input, open, "unbalanced '('");
            }

            position++;
            return inner;
        }

        var start = position;
        if (Current == '^')
        {
            // A regex runs to its '$' and may contain the grammar's own characters.
            var end = input.IndexOf('$', position);
            if (end < 0)
            {
                throw new InvalidVersionSpecException(input, start, "a regex must end with '$'");
            }

            position = end + 1;
            return ParseRegex(input[start..position], start);
        }

        while (!AtEnd && Current is not (',' or '|' or '(' or ')'))
        {
            position++;
        }

        var raw = input[start..position];
        var text = raw.Trim();
        if (text.Length == 0)
        {
            var reason = AtEnd ? "a version is missing at the end" : $"a version is missing before '{Current}'";
            throw new InvalidVersionSpecException(input, start, reason);
        }

        return ParseConstraint(text, start + (raw.Length - raw.TrimStart().Length));
    }

    private VersionSpec ParseConstraint(string text, int at)
    {
        if (text == "*")
        {
            return VersionSpec.Any;
        }

        if (text.EndsWith('$'))
        {
            throw new InvalidVersionSpecException(input, at, "a regex must start with '^'");
        }

        var operatorLength = OperatorLength(text);
        if (operatorLength < 0)
        {
            throw new InvalidVersionSpecException(input, at, $"invalid operator '{text[0]}' (did you mean '{text[0]}='?)");
        }

        if (operatorLength > 0)
        {
            return ParseRelation(text, operatorLength, at);
        }

        if (text.AsSpan().TrimEnd('*').Contains('*'))
        {
            return ParseGlob(text, at);
        }

        if (text.EndsWith('*'))
        {
            // 1.2* and 1.2.* both mean "starts with 1.2".
            var prefix = text.TrimEnd('*').TrimEnd('.');
            if (prefix.Length == 0)
            {
                return VersionSpec.Any;
            }

            return new VersionConstraint(text, VersionOperator.StartsWith, ParseVersion(prefix, at));
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            return PatternVersionSpec.FromExactText(text);
        }

        return new VersionConstraint(text, VersionOperator.Equal, ParseVersion(text, at));
    }

    private VersionConstraint ParseRelation(string text, int operatorLength, int at)
    {
        var symbol = text[..operatorLength];
        var operand = text[operatorLength..];
        if (operand.Length == 0)
        {
            throw new InvalidVersionSpecException(input, at, $"'{symbol}' needs a version after it");
        }

        if ("=<>!~".Contains(operand[0], StringComparison.Ordinal))
        {
            throw new InvalidVersionSpecException(input, at, $"invalid operator '{symbol}{operand[0]}'");
        }

        var @operator = symbol switch
        {
            "==" => VersionOperator.Equal,
            "!=" => VersionOperator.NotEqual,
            "<" => VersionOperator.Less,
            "<=" => VersionOperator.LessOrEqual,
            ">" => VersionOperator.Greater,
            ">=" => VersionOperator.GreaterOrEqual,
            "=" => VersionOperator.StartsWith,
            _ => VersionOperator.Compatible,
        };

        if (operand.EndsWith(".*", StringComparison.Ordinal))
        {
            // conda: =1.2.* and >=1.2.* drop the '.*'; !=1.2.* excludes the prefix; ~= with '.*' is an error;
            // with the other relations it is superfluous and dropped.
            operand = operand[..^2];
            if (@operator == VersionOperator.NotEqual)
            {
                @operator = VersionOperator.NotStartsWith;
            }
            else if (@operator == VersionOperator.Compatible)
            {
                throw new InvalidVersionSpecException(input, at, "'~=' cannot be combined with '.*'");
            }
        }

        var version = ParseVersion(operand, at + operatorLength);
        if (@operator == VersionOperator.Compatible && version.DropLastComponent() is null)
        {
            throw new InvalidVersionSpecException(input, at, "'~=' needs a version with at least two components, e.g. ~=1.2");
        }

        return new VersionConstraint(text, @operator, version);
    }

    private PatternVersionSpec ParseGlob(string text, int at)
    {
        var pattern = new StringBuilder("^(?:");
        foreach (var c in text)
        {
            pattern.Append(c switch
            {
                '*' => ".*",
                _ => Regex.Escape(c.ToString()),
            });
        }

        pattern.Append(")$");
        return PatternVersionSpec.FromRegex(text, CompileRegex(pattern.ToString(), at));
    }

    private PatternVersionSpec ParseRegex(string text, int at) => PatternVersionSpec.FromRegex(text, CompileRegex(text, at));

    private Regex CompileRegex(string pattern, int at)
    {
        try
        {
            return BoundedRegex.Create(pattern);
        }
        catch (ArgumentException e)
        {
            throw new InvalidVersionSpecException(input, at, $"invalid regex: {e.Message}", e);
        }
    }

    private Version ParseVersion(string text, int at)
    {
        try
        {
            return Version.Parse(text);
        }
        catch (InvalidVersionException e)
        {
            throw new InvalidVersionSpecException(input, at + e.Position, e.Reason, e);
        }
    }

    private static int OperatorLength(string text)
    {
        if (text.Length >= 2 && text[1] == '=' && text[0] is '=' or '!' or '<' or '>' or '~')
        {
            return 2;
        }

        return text[0] is '<' or '>' or '=' ? 1 : text[0] is '!' or '~' ? -1 : 0;
    }
}
