using Krait.Conda.Records;
using Krait.Solve.Sat;

namespace Krait.Solve.Conda;

/// <summary>Solves conda environments: the records to install for a request, or an explanation of why none exist.</summary>
public static class CondaSolver
{
    public static SolveResult Solve(SolveRequest request, IPackageSource source)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        var theory = new CondaTheory(request, source);
        theory.AddRequests();
        var result = theory.Solver.Solve();
        var statistics = theory.Solver.Statistics.ToString();
        return result == SatResult.Satisfiable
            ? SolveResult.Solved(theory.Chosen(), statistics, theory.Warnings)
            : SolveResult.Unsatisfiable(ConflictExplainer.Explain(theory.Solver.UnsatCore(), theory.Reasons), statistics, theory.Warnings);
    }
}
