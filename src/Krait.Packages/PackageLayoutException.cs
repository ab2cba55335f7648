namespace Krait.Packages;

/// <summary>A package folder that cannot be written as an archive: names the folder, the entry and why.</summary>
public sealed class PackageLayoutException : Exception
{
    public PackageLayoutException(string packageDirectory, string? entry, string reason)
        : base(entry is null ? $"cannot write package {packageDirectory}: {reason}" : $"cannot write package {packageDirectory}: '{entry}' {reason}")
    {
        PackageDirectory = packageDirectory;
        Entry = entry;
        Reason = reason;
    }

    public PackageLayoutException()
    {
        PackageDirectory = string.Empty;
        Reason = string.Empty;
    }

    public PackageLayoutException(string message)
        : base(message)
    {
        PackageDirectory = string.Empty;
        Reason = message;
    }

    public PackageLayoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        PackageDirectory = string.Empty;
        Reason = message;
    }

    public string PackageDirectory { get; }

    public string? Entry { get; }

    public string Reason { get; }
}
