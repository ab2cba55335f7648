using Krait.Conda.Parsing;
namespace Krait.Conda.Specs;

/// <summary>A package spec conda would reject.</summary>
public sealed class InvalidMatchSpecException : ConstraintParseException
{
    public InvalidMatchSpecException(string input, int position, string reason, Exception? innerException = null)
        : base("spec", input, position, reason, innerException)
    {
    }

    public InvalidMatchSpecException()
        : base(null, null)
    {
    }

    public InvalidMatchSpecException(string message)
        : base(message, null)
    {
    }

    public InvalidMatchSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
