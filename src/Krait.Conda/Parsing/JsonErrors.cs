using System.Text.Json;

namespace Krait.Conda.Parsing;

/// <summary>Where and what in a JSON file went wrong, as <c>FILE:LINE:COL: problem</c> (one-based), the form every parser's error takes.</summary>
public static class JsonErrors
{
    public static string Describe(JsonException error, string file)
    {
        ArgumentNullException.ThrowIfNull(error);
        var problem = error.Message;
        var position = problem.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position >= 0)
        {
            problem = problem[..position].TrimEnd();
        }

        return error.LineNumber is { } line
            ? $"{file}:{line + 1}:{(error.BytePositionInLine ?? 0) + 1}: invalid JSON: {problem}"
            : $"{file}: invalid JSON: {problem}";
    }

    /// <summary>The one-based line and column of byte <paramref name="offset"/> in <paramref name="text"/>.</summary>
    public static (long Line, long Column) LineAndColumn(ReadOnlySpan<byte> text, long offset)
    {
        var end = (int)Math.Clamp(offset, 0, text.Length);
        var before = text[..end];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, end - lastNewline);
    }
}
