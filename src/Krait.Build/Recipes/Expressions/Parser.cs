using System.Globalization;

namespace Krait.Build.Recipes.Expressions;

/// <summary>Recursive descent over the tokens, by Jinja's precedence: conditional, or, and, not, comparison, <c>~</c>, <c>+ -</c>, <c>* /</c>, unary minus, postfix (calls, methods, indexes, filters).</summary>
internal sealed class Parser(List<Token> tokens)
{
    private int position;

    private Token Current => tokens[position];

    public Expression ParseAll()
    {
        var expression = ParseConditional();
        if (Current.Kind != TokenKind.End)
        {
            throw new ExpressionException($"unexpected '{Current.Text}'", Current.Offset);
        }

        return expression;
    }

    private Token Take() => tokens[position++];

    private void Expect(string symbol)
    {
        if (!Current.Is(symbol))
        {
            throw new ExpressionException(Current.Kind == TokenKind.End ? $"'{symbol}' expected at the end" : $"'{symbol}' expected, not '{Current.Text}'", Current.Offset);
        }

        position++;
    }

    private Expression ParseConditional()
    {
        var then = ParseOr();
        if (!Current.IsName("if"))
        {
            return then;
        }

        var at = Take().Offset;
        var condition = ParseOr();
        Expression? otherwise = null;
        if (Current.IsName("else"))
        {
            position++;
            otherwise = ParseConditional();
        }

        return new Conditional(condition, then, otherwise, at);
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var at = Take().Offset;
            left = new Logical("or", left, ParseAnd(), at);
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var at = Take().Offset;
            left = new Logical("and", left, ParseNot(), at);
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (Current.IsName("not"))
        {
            var at = Take().Offset;
            return new Not(ParseNot(), at);
        }

        return ParseComparison();
    }

    private Expression ParseComparison()
    {
        var left = ParseConcatenation();
        while (true)
        {
            var token = Current;
            string? op = token.Kind == TokenKind.Symbol && token.Text is "==" or "!=" or "<" or "<=" or ">" or ">=" ? token.Text
                : token.IsName("in") ? "in"
                : token.IsName("not") && tokens[position + 1].IsName("in") ? "not in"
                : null;
            if (op is null)
            {
                return left;
            }

            position += op == "not in" ? 2 : 1;
            left = new Binary(op, left, ParseConcatenation(), token.Offset);
        }
    }

    private Expression ParseConcatenation()
    {
        var left = ParseSum();
        while (Current.Is("~"))
        {
            var at = Take().Offset;
            left = new Binary("~", left, ParseSum(), at);
        }

        return left;
    }

    private Expression ParseSum()
    {
        var left = ParseProduct();
        while (Current.Is("+") || Current.Is("-"))
        {
            var token = Take();
            left = new Binary(token.Text, left, ParseProduct(), token.Offset);
        }

        return left;
    }

    private Expression ParseProduct()
    {
        var left = ParseUnary();
        while (Current.Is("*") || Current.Is("/"))
        {
            var token = Take();
            left = new Binary(token.Text, left, ParseUnary(), token.Offset);
        }

        return left;
    }

    private Expression ParseUnary()
    {
        if (Current.Is("-"))
        {
            var at = Take().Offset;
            return new Negate(ParseUnary(), at);
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expression ParsePostfix(Expression target)
    {
        while (true)
        {
            var token = Current;
            if (token.Is("."))
            {
                position++;
                var name = Take();
                if (name.Kind != TokenKind.Name)
                {
                    throw new ExpressionException("a name expected after '.'", name.Offset);
                }

                target = new Attribute(target, name.Text, name.Offset);
            }
            else if (token.Is("("))
            {
                position++;
                target = new Call(target, ParseArguments(), token.Offset);
            }
            else if (token.Is("["))
            {
                position++;
                var key = ParseConditional();
                Expect("]");
                target = new Index(target, key, token.Offset);
            }
            else if (token.Is("|"))
            {
                position++;
                var name = Take();
                if (name.Kind != TokenKind.Name)
                {
                    throw new ExpressionException("a filter name expected after '|'", name.Offset);
                }

                var arguments = Arguments.None;
                if (Current.Is("("))
                {
                    position++;
                    arguments = ParseArguments();
                }

                target = new Filter(target, name.Text, arguments, name.Offset);
            }
            else
            {
                return target;
            }
        }
    }

    /// <summary>After '(' up to and including ')'.</summary>
    private Arguments ParseArguments()
    {
        var positional = new List<Expression>();
        var named = new List<KeyValuePair<string, Expression>>();
        while (!Current.Is(")"))
        {
            if (Current.Kind == TokenKind.Name && tokens[position + 1].Is("="))
            {
                var name = Take().Text;
                position++;
                named.Add(new(name, ParseConditional()));
            }
            else if (named.Count > 0)
            {
                throw new ExpressionException("a positional argument after a named one", Current.Offset);
            }
            else
            {
                positional.Add(ParseConditional());
            }

            if (!Current.Is(","))
            {
                break;
            }

            position++;
        }

        Expect(")");
        return new Arguments(positional, named);
    }

    private Expression ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new Literal(token.Text, token.Offset);
            case TokenKind.Integer:
                return new Literal(long.Parse(token.Text, CultureInfo.InvariantCulture), token.Offset);
            case TokenKind.Float:
                return new Literal(double.Parse(token.Text, CultureInfo.InvariantCulture), token.Offset);
            case TokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new Literal(true, token.Offset),
                    "false" or "False" => new Literal(false, token.Offset),
                    "none" or "None" => new Literal(null, token.Offset),
                    _ => new Variable(token.Text, token.Offset),
                };
            case TokenKind.Symbol when token.Text == "(":
                var inner = ParseConditional();
                Expect(")");
                return inner;
            case TokenKind.Symbol when token.Text == "[":
                var items = new List<Expression>();
                while (!Current.Is("]"))
                {
                    items.Add(ParseConditional());
                    if (!Current.Is(","))
                    {
                        break;
                    }

                    position++;
                }

                Expect("]");
                return new ListLiteral(items, token.Offset);
            case TokenKind.End:
                throw new ExpressionException("the expression ends too early", token.Offset);
            default:
                throw new ExpressionException($"unexpected '{token.Text}'", token.Offset);
        }
    }
}
