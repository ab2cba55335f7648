namespace Krait.Conda.Records;

/// <summary>
/// Whether a record read from a channel (repodata JSON or a shard) may reach the solver: its identifying fields name
/// files safely (<see cref="PackageNaming"/>), its version is one conda can order, and the reader found nothing
/// doubtful in it (<see cref="PackageRecordBuilder.Problem"/>). Otherwise it is skipped with a warning: never a silent
/// gap, never a whole channel lost to one bad record.
/// </summary>
public static class RecordAdmission
{
    /// <summary>Why <paramref name="record"/> must be skipped, or null when it may be used.</summary>
    /// <param name="readProblem">What the reader doubted in the record, if anything.</param>
    public static string? Problem(PackageRecord record, string? readProblem)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problem = readProblem ?? PackageNaming.Problem(record);
        if (problem is null && !record.TryGetParsedVersion(out _))
        {
            problem = $"its version '{record.Version}' is not a version conda can order";
        }

        return problem;
    }
}
