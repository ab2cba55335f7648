namespace Krait.Build.Building;

/// <summary>A build that failed: which package, at which step, and why.</summary>
public sealed class BuildException : Exception
{
    public BuildException(string message)
        : base(message)
    {
    }

    public BuildException()
    {
    }

    public BuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
