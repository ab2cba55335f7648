namespace Krait.Conda.Parsing;

/// <summary>
/// What a path written by a user is relative to: their home folder (for <c>~</c>) and the working folder. The model
/// reads neither from the process (Krait.Configuration's <c>KraitLocations</c> reads them once per command), so that parsing a channel or a
/// spec gives the same answer in any process; text that needs a context given none is refused, not guessed.
/// </summary>
public sealed record PathContext(string Home, string WorkingDirectory)
{
    /// <summary>The absolute path <paramref name="path"/> names: <c>~</c> is the home folder, a relative path starts at the working folder.</summary>
    public string Absolute(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var expanded = path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? Home + path[1..] : path;
        return Path.GetFullPath(expanded, WorkingDirectory);
    }

    /// <summary>The absolute path <paramref name="path"/> names under <paramref name="context"/>; an absolute path needs none.</summary>
    /// <exception cref="ArgumentException">The path is relative (or starts with <c>~</c>) and no context was given.</exception>
    public static string Resolve(string path, PathContext? context, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (context is not null)
        {
            return context.Absolute(path);
        }

        return Path.IsPathFullyQualified(path) && !path.StartsWith('~')
            ? Path.GetFullPath(path)
            : throw new ArgumentException($"{what} '{path}' is a relative path, and nothing says what it is relative to", nameof(path));
    }
}
