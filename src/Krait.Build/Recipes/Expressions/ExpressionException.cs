namespace Krait.Build.Recipes.Expressions;

/// <summary>An expression that cannot be read or evaluated; <see cref="Offset"/> is where in its text.</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(string message, int offset)
        : base(message) => Offset = offset;

    public ExpressionException()
    {
    }

    public ExpressionException(string message)
        : base(message)
    {
    }

    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Offset { get; }
}
