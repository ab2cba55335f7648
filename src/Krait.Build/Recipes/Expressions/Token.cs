namespace Krait.Build.Recipes.Expressions;

internal enum TokenKind
{
    Name,
    String,
    Integer,
    Float,
    Symbol,
    End,
}

/// <summary>One token of an expression: its kind, its text (a string's value, unquoted) and where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;
}
