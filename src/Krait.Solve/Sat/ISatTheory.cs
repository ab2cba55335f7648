namespace Krait.Solve.Sat;

/// <summary>
/// The problem-specific side of the search: it adds clauses lazily as variables become true and chooses
/// the decisions, so that the search explores the preferred assignments first. The engine stays generic.
/// </summary>
public interface ISatTheory
{
    /// <summary>
    /// Called once per variable, the first time it becomes true. The theory may add clauses about it with
    /// <see cref="SatSolver.AddClause(ReadOnlySpan{Literal}, int)"/> (for example, a package's requirements).
    /// </summary>
    void OnFirstTrue(SatSolver solver, int variable);

    /// <summary>
    /// Chooses the next decision, or returns false when the theory has nothing left to decide; the engine
    /// then sets every unassigned variable to false, which is the "install nothing more" default.
    /// </summary>
    bool TryDecide(SatSolver solver, out Literal decision);
}
