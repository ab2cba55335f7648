using Krait.Conda.Parsing;
namespace Krait.Conda.Versions;

/// <summary>A version constraint conda would reject.</summary>
public sealed class InvalidVersionSpecException : ConstraintParseException
{
    public InvalidVersionSpecException(string input, int position, string reason, Exception? innerException = null)
        : base("version spec", input, position, reason, innerException)
    {
    }

    public InvalidVersionSpecException()
        : base(null, null)
    {
    }

    public InvalidVersionSpecException(string message)
        : base(message, null)
    {
    }

    public InvalidVersionSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
