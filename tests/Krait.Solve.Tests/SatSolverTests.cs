using Krait.Solve.Sat;

namespace Krait.Solve.Tests;

public class SatSolverTests
{
    /// <summary>A theory that adds nothing and decides nothing: the engine then works as a plain CDCL solver.</summary>
    private sealed class NoTheory : ISatTheory
    {
        public void OnFirstTrue(SatSolver solver, int variable)
        {
        }

        public bool TryDecide(SatSolver solver, out Literal decision)
        {
            decision = default;
            return false;
        }
    }

    private static Literal Lit(int signed) => signed > 0 ? Literal.Positive(signed) : Literal.Negative(-signed);

    private static (SatSolver Solver, SatResult Result) Run(int variables, List<int[]> cnf)
    {
        var solver = new SatSolver(new NoTheory());
        for (var v = 0; v < variables; v++)
        {
            solver.NewVariable();
        }

        for (var i = 0; i < cnf.Count; i++)
        {
            solver.AddClause(cnf[i].Select(Lit).ToArray(), i);
        }

        return (solver, solver.Solve());
    }

    private static bool Satisfies(Func<int, bool> assignment, IEnumerable<int[]> cnf) =>
        cnf.All(clause => clause.Any(l => assignment(Math.Abs(l)) == l > 0));

    private static bool BruteForceSatisfiable(int variables, List<int[]> cnf)
    {
        for (var mask = 0; mask < 1 << variables; mask++)
        {
            if (Satisfies(v => (mask & (1 << (v - 1))) != 0, cnf))
            {
                return true;
            }
        }

        return false;
    }

    private static List<int[]> RandomCnf(Random random, int variables, int clauses, int width)
    {
        var cnf = new List<int[]>();
        for (var c = 0; c < clauses; c++)
        {
            var clause = new int[random.Next(1, width + 1)];
            for (var k = 0; k < clause.Length; k++)
            {
                var v = random.Next(1, variables + 1);
                clause[k] = random.Next(2) == 0 ? v : -v;
            }

            cnf.Add(clause);
        }

        return cnf;
    }

    [Fact]
    public void Agrees_with_brute_force_on_random_formulas_and_its_models_satisfy_them()
    {
        var random = new Random(1234);
        int satisfiable = 0, unsatisfiable = 0;
        for (var round = 0; round < 3000; round++)
        {
            var variables = random.Next(1, 11);
            var cnf = RandomCnf(random, variables, random.Next(1, 5 * variables + 2), 3);
            var (solver, result) = Run(variables, cnf);
            var expected = BruteForceSatisfiable(variables, cnf);
            Assert.Equal(expected, result == SatResult.Satisfiable);
            if (result == SatResult.Satisfiable)
            {
                satisfiable++;
                Assert.True(Satisfies(v => solver.IsTrue(v), cnf), $"model violates a clause in round {round}");
            }
            else
            {
                unsatisfiable++;
                var core = solver.UnsatCore();
                Assert.NotEmpty(core);
                Assert.False(BruteForceSatisfiable(variables, core.Select(i => cnf[i]).ToList()), $"core is satisfiable in round {round}");
            }
        }

        Assert.True(satisfiable > 300 && unsatisfiable > 300, $"sat={satisfiable} unsat={unsatisfiable}: the generator should give both");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    public void Pigeonhole_is_unsatisfiable(int holes)
    {
        var pigeons = holes + 1;
        int Var(int p, int h) => (p * holes) + h + 1;
        var cnf = new List<int[]>();
        for (var p = 0; p < pigeons; p++)
        {
            cnf.Add(Enumerable.Range(0, holes).Select(h => Var(p, h)).ToArray());
        }

        for (var h = 0; h < holes; h++)
        {
            for (var p = 0; p < pigeons; p++)
            {
                for (var q = p + 1; q < pigeons; q++)
                {
                    cnf.Add([-Var(p, h), -Var(q, h)]);
                }
            }
        }

        var (solver, result) = Run(pigeons * holes, cnf);
        Assert.Equal(SatResult.Unsatisfiable, result);
        Assert.True(solver.Statistics.Conflicts > 0);
    }

    /// <summary>Each "package" i requires i+1 (lazily), and the last one conflicts with the first: the theory's clauses must be honoured.</summary>
    private sealed class ChainTheory(int length, bool closeTheLoop) : ISatTheory
    {
        public List<int> Notified { get; } = [];

        public void OnFirstTrue(SatSolver solver, int variable)
        {
            Notified.Add(variable);
            if (variable < length)
            {
                solver.AddClause([Literal.Negative(variable), Literal.Positive(variable + 1)], variable);
            }
            else if (closeTheLoop)
            {
                solver.AddClause([Literal.Negative(variable), Literal.Negative(1)], variable);
            }
        }

        public bool TryDecide(SatSolver solver, out Literal decision)
        {
            decision = Literal.Positive(1);
            return !solver.IsAssigned(1);
        }
    }

    [Fact]
    public void Lazily_added_clauses_propagate_and_are_notified_once()
    {
        var theory = new ChainTheory(50, closeTheLoop: false);
        var solver = new SatSolver(theory);
        for (var i = 0; i < 50; i++)
        {
            solver.NewVariable();
        }

        Assert.Equal(SatResult.Satisfiable, solver.Solve());
        Assert.All(Enumerable.Range(1, 50), v => Assert.True(solver.IsTrue(v)));
        Assert.Equal(Enumerable.Range(1, 50), theory.Notified);
    }

    [Fact]
    public void A_lazily_discovered_contradiction_flips_the_decision_and_the_core_names_no_clause_of_the_flip()
    {
        var theory = new ChainTheory(20, closeTheLoop: true);
        var solver = new SatSolver(theory);
        for (var i = 0; i < 20; i++)
        {
            solver.NewVariable();
        }

        // 1 → 2 → … → 20 → ¬1: choosing 1 is impossible, so the engine must learn ¬1 and finish with all false.
        Assert.Equal(SatResult.Satisfiable, solver.Solve());
        Assert.False(solver.IsTrue(1));
    }

    [Fact]
    public void A_required_root_that_cannot_hold_is_unsatisfiable_with_every_link_of_the_chain_in_the_core()
    {
        var theory = new ChainTheory(10, closeTheLoop: true);
        var solver = new SatSolver(theory);
        for (var i = 0; i < 10; i++)
        {
            solver.NewVariable();
        }

        solver.AddClause([Literal.Positive(1)], 100);
        Assert.Equal(SatResult.Unsatisfiable, solver.Solve());
        Assert.Equal(Enumerable.Range(1, 10).Append(100), solver.UnsatCore().Order());
    }
}
