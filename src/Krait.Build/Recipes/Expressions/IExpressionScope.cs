namespace Krait.Build.Recipes.Expressions;

/// <summary>What an expression can see: its variables, and the functions recipes call (<c>compiler('c')</c>, <c>pin_subpackage(…)</c>).</summary>
public interface IExpressionScope
{
    bool TryGet(string name, out object? value);

    object? Call(string function, CallArguments arguments);
}

/// <summary>The evaluated arguments of a call: positional, then named.</summary>
public sealed record CallArguments(IReadOnlyList<object?> Positional, IReadOnlyDictionary<string, object?> Named, int Offset)
{
    /// <summary>Argument <paramref name="position"/>, or the one named <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public object? Get(int position, string name, object? fallback = null) =>
        position >= 0 && position < Positional.Count ? Positional[position] : Named.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>As <see cref="Get"/>, for an argument that must be given as a string.</summary>
    public string RequireString(int position, string name, string function) =>
        Get(position, name) as string ?? throw new ExpressionException($"{function}() needs '{name}' as a string", Offset);

    /// <summary>Names not in <paramref name="known"/> are refused, so that a misspelt option is not ignored.</summary>
    public void Allow(string function, params string[] known)
    {
        foreach (var name in Named.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new ExpressionException($"{function}() has no argument '{name}' (it takes {string.Join(", ", known)})", Offset);
            }
        }
    }
}
