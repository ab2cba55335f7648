namespace Krait.Files;

/// <summary>
/// A file that is not the one its channel indexed (another size or hash): never kept, never installed, never
/// retried (the server sends the same wrong file again).
/// </summary>
public sealed class DigestMismatchException : Exception
{
    public DigestMismatchException(string file, string problem)
        : base($"{file} {problem}; it was not kept")
    {
        File = file;
        Problem = problem;
    }

    public DigestMismatchException()
    {
        File = string.Empty;
        Problem = string.Empty;
    }

    public DigestMismatchException(string message)
        : base(message)
    {
        File = string.Empty;
        Problem = message;
    }

    public DigestMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Problem = message;
    }

    /// <summary>The file, or for a download its URL (redacted).</summary>
    public string File { get; }

    public string Problem { get; }
}
