using Krait.Conda.Records;

namespace Krait.Solve.Conda;

/// <summary>The outcome of a solve: the records of the environment, or why there is none.</summary>
public sealed class SolveResult
{
    private SolveResult(IReadOnlyList<PackageRecord>? records, string? explanation, string statistics)
    {
        Records = records ?? [];
        Explanation = explanation;
        Statistics = statistics;
    }

    public bool IsSatisfiable => Explanation is null;

    /// <summary>The chosen records (virtual packages left out), sorted by name.</summary>
    public IReadOnlyList<PackageRecord> Records { get; }

    /// <summary>For an unsatisfiable request: which requests conflict, through which dependencies.</summary>
    public string? Explanation { get; }

    /// <summary>Records the solve had to leave out, and why (their metadata cannot be read): for the user to see.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Search counters, for benchmarks and slow-solve reports.</summary>
    public string Statistics { get; }

    internal static SolveResult Solved(IReadOnlyList<PackageRecord> records, string statistics, IReadOnlyList<string> warnings) =>
        new(records, null, statistics) { Warnings = warnings };

    internal static SolveResult Unsatisfiable(string explanation, string statistics, IReadOnlyList<string> warnings) =>
        new(null, explanation, statistics) { Warnings = warnings };
}
