namespace Krait.Solve.Sat;

/// <summary>
/// A boolean variable or its negation, packed as <c>variable * 2 + (negated ? 1 : 0)</c> so that
/// literals index arrays directly (watch lists, assignment lookups) without branching.
/// </summary>
public readonly record struct Literal(int Code)
{
    public static Literal Positive(int variable) => new(variable << 1);

    public static Literal Negative(int variable) => new((variable << 1) | 1);

    public int Variable => Code >> 1;

    public bool IsNegated => (Code & 1) != 0;

    public Literal Negated => new(Code ^ 1);

    public static Literal operator !(Literal literal) => literal.Negated;

    public override string ToString() => IsNegated ? $"¬{Variable}" : $"{Variable}";
}
