namespace Krait.Install;

/// <summary>An environment that cannot be created or changed as asked: says which package or path and why.</summary>
public class InstallException : Exception
{
    public InstallException(string message)
        : base(message)
    {
    }

    public InstallException()
    {
    }

    public InstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
