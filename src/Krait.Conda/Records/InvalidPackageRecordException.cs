namespace Krait.Conda.Records;

/// <summary>A package record whose identifying fields cannot be trusted to name files (see <see cref="PackageNaming"/>): says where it came from and why.</summary>
public sealed class InvalidPackageRecordException : Exception
{
    public InvalidPackageRecordException(string source, string? fileName, string problem)
        : base($"{source}: the record {(string.IsNullOrEmpty(fileName) ? string.Empty : $"'{PackageNaming.Shown(fileName)}' ")}is refused: {problem}")
    {
        Problem = problem;
    }

    public InvalidPackageRecordException()
    {
        Problem = string.Empty;
    }

    public InvalidPackageRecordException(string message)
        : base(message)
    {
        Problem = message;
    }

    public InvalidPackageRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Why the record is refused.</summary>
    public string Problem { get; }
}
