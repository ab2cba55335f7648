using Krait.Conda.Parsing;
namespace Krait.Conda.Versions;

/// <summary>A version string conda would reject.</summary>
public sealed class InvalidVersionException : ConstraintParseException
{
    public InvalidVersionException(string input, int position, string reason, Exception? innerException = null)
        : base("version", input, position, reason, innerException)
    {
    }

    public InvalidVersionException()
        : base(null, null)
    {
    }

    public InvalidVersionException(string message)
        : base(message, null)
    {
    }

    public InvalidVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
