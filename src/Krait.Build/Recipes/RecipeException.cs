namespace Krait.Build.Recipes;

/// <summary>A recipe that cannot be read or rendered: <c>FILE:LINE:COLUMN: what is wrong</c>.</summary>
public sealed class RecipeException : Exception
{
    public RecipeException(string file, long line, long column, string problem)
        : base($"{file}:{line}:{column}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public RecipeException()
    {
    }

    public RecipeException(string message)
        : base(message)
    {
    }

    public RecipeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? File { get; }

    public long Line { get; }

    public long Column { get; }

    public string? Problem { get; }
}
