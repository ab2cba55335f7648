namespace Krait.Repodata.Parsing;

/// <summary>A repodata file that is not what conda writes: names the file, the byte offset and what was expected.</summary>
public sealed class RepodataFormatException : FormatException
{
    public RepodataFormatException(string source, long byteOffset, string problem, Exception? innerException = null)
        : base($"malformed repodata {source} at byte {byteOffset}: {problem}", innerException)
    {
        Source = source;
        ByteOffset = byteOffset;
        Problem = problem;
    }

    public RepodataFormatException()
    {
        Source = string.Empty;
        Problem = string.Empty;
    }

    public RepodataFormatException(string message)
        : base(message)
    {
        Source = string.Empty;
        Problem = message;
    }

    public RepodataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Source = string.Empty;
        Problem = message;
    }

    /// <summary>The file (or URL) the repodata came from.</summary>
    public new string Source { get; }

    /// <summary>Zero-based offset of the offending byte in the file.</summary>
    public long ByteOffset { get; }

    public string Problem { get; }
}
