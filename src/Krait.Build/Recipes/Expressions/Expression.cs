namespace Krait.Build.Recipes.Expressions;

/// <summary>
/// A parsed <c>${{ … }}</c> expression: the subset of Jinja that recipes use (literals, variables, <c>~</c> and
/// <c>+</c>, comparisons, <c>and</c>/<c>or</c>/<c>not</c>/<c>in</c>, <c>A if C else B</c>, calls, string methods and
/// filters). Hand-written: no .NET Jinja library is maintained, and recipes need only this much.
/// </summary>
public abstract record Expression(int Offset)
{
    /// <summary>Parses <paramref name="text"/> (without the <c>${{ }}</c>).</summary>
    public static Expression Parse(string text) => new Parser(Lexer.Read(text)).ParseAll();

    /// <summary>The value of the expression in <paramref name="scope"/>.</summary>
    public abstract object? Evaluate(IExpressionScope scope);
}

internal sealed record Literal(object? Value, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) => Value;
}

internal sealed record ListLiteral(IReadOnlyList<Expression> Items, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) => Items.Select(i => i.Evaluate(scope)).ToList();
}

internal sealed record Variable(string Name, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) =>
        scope.TryGet(Name, out var value) ? value : throw new ExpressionException($"'{Name}' is not defined (not in context, the variant or the platform's names)", Offset);
}

internal sealed record Attribute(Expression Target, string Name, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) =>
        throw new ExpressionException($"'{Name}' is not a value of its own here; only methods are called on values (such as .split('.'))", Offset);
}

internal sealed record Index(Expression Target, Expression Key, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope)
    {
        var target = Target.Evaluate(scope);
        var key = Key.Evaluate(scope);
        if (key is not long index)
        {
            throw new ExpressionException("an index must be a whole number", Key.Offset);
        }

        var count = target switch
        {
            IReadOnlyList<object?> list => list.Count,
            string text => text.Length,
            _ => throw new ExpressionException($"{Values.Describe(target)} cannot be indexed", Offset),
        };
        var at = index < 0 ? count + index : index;
        if (at < 0 || at >= count)
        {
            throw new ExpressionException($"index {index} is out of range for {count} item(s)", Key.Offset);
        }

        return target is string s ? s[(int)at].ToString() : ((IReadOnlyList<object?>)target!)[(int)at];
    }
}

/// <summary>Arguments of a call or a filter: positional, then <c>name=value</c>.</summary>
internal sealed record Arguments(IReadOnlyList<Expression> Positional, IReadOnlyList<KeyValuePair<string, Expression>> Named)
{
    public static readonly Arguments None = new([], []);

    public CallArguments Evaluate(IExpressionScope scope, int offset) =>
        new([.. Positional.Select(p => p.Evaluate(scope))], Named.ToDictionary(n => n.Key, n => n.Value.Evaluate(scope), StringComparer.Ordinal), offset);
}

internal sealed record Call(Expression Target, Arguments Arguments, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope)
    {
        switch (Target)
        {
            case Attribute method:
                return Methods.Invoke(method.Target.Evaluate(scope), method.Name, Arguments.Evaluate(scope, Offset));
            case Variable function:
                return scope.Call(function.Name, Arguments.Evaluate(scope, Offset));
            default:
                throw new ExpressionException("only functions and methods can be called", Offset);
        }
    }
}

internal sealed record Filter(Expression Target, string Name, Arguments Arguments, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) => Methods.Filter(Target.Evaluate(scope), Name, Arguments.Evaluate(scope, Offset));
}

internal sealed record Not(Expression Operand, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) => !Values.IsTrue(Operand.Evaluate(scope));
}

internal sealed record Negate(Expression Operand, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) => Operand.Evaluate(scope) switch
    {
        long l => (object)(-l),
        double d => -d,
        var other => throw new ExpressionException($"{Values.Describe(other)} cannot be negated", Offset),
    };
}

internal sealed record Conditional(Expression Condition, Expression Then, Expression? Else, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope) =>
        Values.IsTrue(Condition.Evaluate(scope)) ? Then.Evaluate(scope) : Else?.Evaluate(scope);
}

internal sealed record Logical(string Operator, Expression Left, Expression Right, int At) : Expression(At)
{
    // Short-circuit, so that `unix and python_impl == 'x'` never looks up a name the other platform lacks.
    public override object? Evaluate(IExpressionScope scope)
    {
        var left = Left.Evaluate(scope);
        return Operator == "and"
            ? (Values.IsTrue(left) ? Right.Evaluate(scope) : left)
            : (Values.IsTrue(left) ? left : Right.Evaluate(scope));
    }
}

internal sealed record Binary(string Operator, Expression Left, Expression Right, int At) : Expression(At)
{
    public override object? Evaluate(IExpressionScope scope)
    {
        var left = Left.Evaluate(scope);
        var right = Right.Evaluate(scope);
        return Operator switch
        {
            "~" => Values.Text(left) + Values.Text(right),
            "==" => Values.Equal(left, right),
            "!=" => !Values.Equal(left, right),
            "in" => Values.Contains(right, left, Offset),
            "not in" => !Values.Contains(right, left, Offset),
            "<" or "<=" or ">" or ">=" => Values.Compare(Operator, left, right, Offset),
            _ => Values.Arithmetic(Operator, left, right, Offset),
        };
    }
}
