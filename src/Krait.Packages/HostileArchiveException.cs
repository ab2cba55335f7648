namespace Krait.Packages;

/// <summary>A package archive refused for safety or damage: names the archive, the entry and why.</summary>
public sealed class HostileArchiveException : Exception
{
    public HostileArchiveException(string archive, string? entry, string reason, Exception? innerException = null)
        : base(entry is null ? $"refusing package {archive}: {reason}" : $"refusing package {archive}: entry '{entry}' {reason}", innerException)
    {
        Archive = archive;
        Entry = entry;
        Reason = reason;
    }

    public HostileArchiveException()
    {
        Archive = string.Empty;
        Reason = string.Empty;
    }

    public HostileArchiveException(string message)
        : base(message)
    {
        Archive = string.Empty;
        Reason = message;
    }

    public HostileArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
        Archive = string.Empty;
        Reason = message;
    }

    public string Archive { get; }

    public string? Entry { get; }

    public string Reason { get; }
}
