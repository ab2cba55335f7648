namespace Krait.Solve.Sat;

public enum SatResult
{
    Satisfiable,
    Unsatisfiable,
}
