namespace Krait.Solve.Sat;

/// <summary>
/// A conflict-driven clause-learning SAT engine built for package resolution: two watched literals,
/// first-UIP conflict analysis with learnt clauses and non-chronological backjumping, and
/// lazy clause generation through an <see cref="ISatTheory"/> that also picks the decisions.
/// It knows nothing about packages; clauses carry an integer tag so that an unsatisfiable result can be
/// explained in the caller's terms (<see cref="UnsatCore"/>).
/// </summary>
public sealed class SatSolver
{
    private const int NoReason = -1;
    private const int LearntTag = -1;

    private readonly ISatTheory theory;

    // Per variable (index 0 is unused so that variables start at 1).
    private sbyte[] values = new sbyte[16];
    private int[] levels = new int[16];
    private int[] reasons = new int[16];
    private bool[] notified = new bool[16];
    private bool[] seen = new bool[16];
    private int variableCount;

    // Per literal code.
    private IntVector[] watches = new IntVector[32];

    private readonly List<int[]> clauses = [];
    private readonly List<int> clauseTags = [];
    private readonly List<int[]?> learntAntecedents = [];

    private int[] trail = new int[16];
    private int trailCount;
    private int propagateHead;
    private IntVector levelStarts;

    private readonly List<int> pendingNotifications = [];
    private readonly List<int> newClauses = [];
    private int unassignedCursor = 1;
    private long positiveAssignments;
    private int finalConflict = NoReason;
    private bool unsatisfiable;

    public SatSolver(ISatTheory theory) => this.theory = theory;

    public int VariableCount => variableCount;

    public int DecisionLevel => levelStarts.Count;

    public SatStatistics Statistics { get; } = new();

    /// <summary>Creates a fresh unassigned variable and returns its number (1-based).</summary>
    public int NewVariable()
    {
        var variable = ++variableCount;
        if (variable >= values.Length)
        {
            var size = values.Length * 2;
            Array.Resize(ref values, size);
            Array.Resize(ref levels, size);
            Array.Resize(ref reasons, size);
            Array.Resize(ref notified, size);
            Array.Resize(ref seen, size);
            Array.Resize(ref watches, size * 2);
        }

        return variable;
    }

    /// <summary>True, false or null (unassigned) under the current assignment.</summary>
    public bool? Value(int variable) => values[variable] switch
    {
        1 => true,
        -1 => false,
        _ => null,
    };

    public bool IsTrue(int variable) => values[variable] == 1;

    public bool IsAssigned(int variable) => values[variable] != 0;

    /// <summary>
    /// Adds a permanent clause (a disjunction of literals). <paramref name="tag"/> is the caller's name for
    /// why the clause exists; it comes back in <see cref="UnsatCore"/>. Clauses may be added before
    /// <see cref="Solve"/> or from inside <see cref="ISatTheory.OnFirstTrue"/>.
    /// </summary>
    public void AddClause(ReadOnlySpan<Literal> literals, int tag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        var codes = Normalise(literals, out var tautology);
        if (tautology)
        {
            return;
        }

        var index = StoreClause(codes, tag, antecedents: null);
        newClauses.Add(index);
    }

    /// <summary>Runs the search until every variable is assigned without conflict, or the clauses are proven contradictory.</summary>
    public SatResult Solve()
    {
        while (true)
        {
            if (unsatisfiable)
            {
                return SatResult.Unsatisfiable;
            }

            var conflict = IntegrateNewClauses();
            if (unsatisfiable)
            {
                return SatResult.Unsatisfiable;
            }

            if (conflict == NoReason)
            {
                conflict = Propagate();
            }

            if (conflict != NoReason)
            {
                if (!ResolveConflict(conflict))
                {
                    return SatResult.Unsatisfiable;
                }

                continue;
            }

            if (pendingNotifications.Count > 0)
            {
                NotifyTheory();
                continue;
            }

            if (theory.TryDecide(this, out var decision))
            {
                if (IsAssigned(decision.Variable))
                {
                    throw new InvalidOperationException($"The theory decided on variable {decision.Variable}, which is already assigned.");
                }

                Decide(decision);
                continue;
            }

            if (DecideRestFalse() is { } finished)
            {
                return finished;
            }
        }
    }

    /// <summary>
    /// With nothing left for the theory to decide, sets the remaining variables false one decision at a time without
    /// asking the theory again until something turns true, conflicts or adds clauses (each of which may need it).
    /// Returns the final result when every variable got a value, or null to go back to the main loop.
    /// </summary>
    private SatResult? DecideRestFalse()
    {
        if (AllClausesHoldWithRestFalse())
        {
            // Setting every open variable false breaks no clause: the search is over without deciding them one by one.
            levelStarts.Add(trailCount);
            for (var variable = 1; variable <= variableCount; variable++)
            {
                if (values[variable] == 0)
                {
                    Enqueue((variable << 1) | 1, NoReason);
                }
            }

            return SatResult.Satisfiable;
        }

        while (true)
        {
            var open = NextUnassigned();
            if (open == 0)
            {
                return SatResult.Satisfiable;
            }

            Decide(Literal.Negative(open));
            var positivesBefore = positiveAssignments;
            var conflict = Propagate();
            if (conflict != NoReason)
            {
                return ResolveConflict(conflict) ? null : SatResult.Unsatisfiable;
            }

            if (positiveAssignments != positivesBefore || pendingNotifications.Count > 0 || newClauses.Count > 0)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// After <see cref="SatResult.Unsatisfiable"/>: the tags of the original clauses that together make the
    /// problem contradictory (every learnt clause traced back to the clauses it was derived from).
    /// </summary>
    public IReadOnlyCollection<int> UnsatCore()
    {
        if (!unsatisfiable)
        {
            throw new InvalidOperationException("The problem has not been proven unsatisfiable.");
        }

        var tags = new SortedSet<int>();
        if (finalConflict == NoReason)
        {
            return tags;
        }

        var visited = new bool[clauses.Count];
        var queue = new Stack<int>();
        queue.Push(finalConflict);
        while (queue.Count > 0)
        {
            var index = queue.Pop();
            if (visited[index])
            {
                continue;
            }

            visited[index] = true;
            if (clauseTags[index] != LearntTag)
            {
                tags.Add(clauseTags[index]);
            }
            else if (learntAntecedents[index] is { } antecedents)
            {
                foreach (var antecedent in antecedents)
                {
                    queue.Push(antecedent);
                }
            }

            foreach (var code in clauses[index])
            {
                var reason = reasons[code >> 1];
                if (values[code >> 1] != 0 && levels[code >> 1] == 0 && reason != NoReason)
                {
                    queue.Push(reason);
                }
            }
        }

        return tags;
    }

    /// <summary>Drops repeated literals and detects tautologies in O(n), marking variables in <see cref="seen"/>.</summary>
    private int[] Normalise(ReadOnlySpan<Literal> literals, out bool tautology)
    {
        tautology = false;
        var codes = new int[literals.Length];
        var count = 0;
        foreach (var literal in literals)
        {
            var variable = literal.Variable;
            if (variable < 1 || variable > variableCount)
            {
                ClearMarks(codes, count);
                throw new ArgumentOutOfRangeException(nameof(literals), $"Variable {variable} does not exist.");
            }

            if (seen[variable])
            {
                // Seen before: the same literal repeats, or its negation makes the clause always true.
                if (Array.IndexOf(codes, literal.Code, 0, count) >= 0)
                {
                    continue;
                }

                tautology = true;
                break;
            }

            seen[variable] = true;
            codes[count++] = literal.Code;
        }

        ClearMarks(codes, count);
        if (tautology)
        {
            return [];
        }

        return count == codes.Length ? codes : codes[..count];
    }

    private void ClearMarks(int[] codes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            seen[codes[i] >> 1] = false;
        }
    }

    private int StoreClause(int[] codes, int tag, int[]? antecedents)
    {
        var index = clauses.Count;
        clauses.Add(codes);
        clauseTags.Add(tag);
        learntAntecedents.Add(antecedents);
        return index;
    }

    private void Watch(int clauseIndex)
    {
        var codes = clauses[clauseIndex];
        watches[codes[0]].Add(clauseIndex);
        watches[codes[1]].Add(clauseIndex);
    }

    /// <summary>
    /// Brings clauses added since the last call into the watch scheme. A clause that is already unit or
    /// falsified under the current assignment first makes the search backtrack to the level where that
    /// became true, so that implied literals get their proper level; returns a conflicting clause, if any.
    /// </summary>
    private int IntegrateNewClauses()
    {
        if (newClauses.Count == 0)
        {
            return NoReason;
        }

        var target = int.MaxValue;
        foreach (var index in newClauses)
        {
            target = Math.Min(target, RequiredLevel(clauses[index]));
        }

        if (target < DecisionLevel)
        {
            Backtrack(target);
        }

        var conflict = NoReason;
        foreach (var index in newClauses)
        {
            var codes = clauses[index];
            if (codes.Length == 0)
            {
                MarkUnsatisfiable(index);
                break;
            }

            if (codes.Length == 1)
            {
                var value = LiteralValue(codes[0]);
                if (value < 0)
                {
                    conflict = conflict == NoReason ? index : conflict;
                }
                else if (value == 0)
                {
                    Enqueue(codes[0], index);
                }

                continue;
            }

            OrderWatches(codes);
            Watch(index);
            var first = LiteralValue(codes[0]);
            var second = LiteralValue(codes[1]);
            if (first < 0)
            {
                conflict = conflict == NoReason ? index : conflict;
            }
            else if (first == 0 && second < 0)
            {
                Enqueue(codes[0], index);
            }
        }

        newClauses.Clear();
        return conflict;
    }

    /// <summary>The decision level the search must return to for this clause to be handled soundly (int.MaxValue: none).</summary>
    private int RequiredLevel(int[] codes)
    {
        if (codes.Length == 1)
        {
            // A unit clause has no watches: it must hold from level 0 on, or it would be lost on backtracking.
            var variable = codes[0] >> 1;
            return LiteralValue(codes[0]) > 0 && levels[variable] == 0 ? int.MaxValue : 0;
        }

        var nonFalse = 0;
        var highest = -1;
        foreach (var code in codes)
        {
            var value = LiteralValue(code);
            if (value > 0)
            {
                return int.MaxValue;
            }

            if (value == 0)
            {
                nonFalse++;
                if (nonFalse > 1)
                {
                    return int.MaxValue;
                }
            }
            else
            {
                highest = Math.Max(highest, levels[code >> 1]);
            }
        }

        return highest < 0 ? int.MaxValue : highest;
    }

    /// <summary>Moves the two best literals to the watched positions: true ones, then unassigned, then false at the highest level.</summary>
    private void OrderWatches(int[] codes)
    {
        for (var slot = 0; slot < 2; slot++)
        {
            var best = slot;
            for (var i = slot + 1; i < codes.Length; i++)
            {
                if (WatchRank(codes[i]) > WatchRank(codes[best]))
                {
                    best = i;
                }
            }

            (codes[slot], codes[best]) = (codes[best], codes[slot]);
        }
    }

    private long WatchRank(int code)
    {
        var value = LiteralValue(code);
        return value > 0 ? long.MaxValue - levels[code >> 1] : value == 0 ? long.MaxValue / 2 : levels[code >> 1];
    }

    private int LiteralValue(int code)
    {
        var value = values[code >> 1];
        return (code & 1) == 0 ? value : -value;
    }

    private void Enqueue(int code, int reason)
    {
        var variable = code >> 1;
        values[variable] = (sbyte)((code & 1) == 0 ? 1 : -1);
        levels[variable] = DecisionLevel;
        reasons[variable] = reason;
        if (trailCount == trail.Length)
        {
            Array.Resize(ref trail, trail.Length * 2);
        }

        trail[trailCount++] = code;
        if ((code & 1) == 0)
        {
            positiveAssignments++;
        }

        if ((code & 1) == 0 && !notified[variable])
        {
            notified[variable] = true;
            pendingNotifications.Add(variable);
        }
    }

    private void Decide(Literal decision)
    {
        Statistics.Decisions++;
        levelStarts.Add(trailCount);
        Enqueue(decision.Code, NoReason);
    }

    private void NotifyTheory()
    {
        // The theory may add clauses that backtrack the search; the list is copied so that it can be refilled.
        var batch = pendingNotifications.ToArray();
        pendingNotifications.Clear();
        foreach (var variable in batch)
        {
            theory.OnFirstTrue(this, variable);
        }
    }

    private int NextUnassigned()
    {
        while (unassignedCursor <= variableCount && values[unassignedCursor] != 0)
        {
            unassignedCursor++;
        }

        return unassignedCursor <= variableCount ? unassignedCursor : 0;
    }

    /// <summary>True when every clause has a true literal or a negative one over an open variable.</summary>
    private bool AllClausesHoldWithRestFalse()
    {
        foreach (var codes in clauses)
        {
            var holds = false;
            foreach (var code in codes)
            {
                var value = LiteralValue(code);
                if (value > 0 || (value == 0 && (code & 1) == 1))
                {
                    holds = true;
                    break;
                }
            }

            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Unit propagation over the watched literals; returns the index of a falsified clause, or NoReason.</summary>
    private int Propagate()
    {
        while (propagateHead < trailCount)
        {
            var falseCode = trail[propagateHead++] ^ 1;
            Statistics.Propagations++;
            ref var watchList = ref watches[falseCode];
            var kept = 0;
            var count = watchList.Count;
            for (var i = 0; i < count; i++)
            {
                var clauseIndex = watchList[i];
                var codes = clauses[clauseIndex];
                if (codes[0] == falseCode)
                {
                    (codes[0], codes[1]) = (codes[1], codes[0]);
                }

                if (LiteralValue(codes[0]) > 0)
                {
                    watchList.Set(kept++, clauseIndex);
                    continue;
                }

                var moved = false;
                for (var k = 2; k < codes.Length; k++)
                {
                    if (LiteralValue(codes[k]) >= 0)
                    {
                        (codes[1], codes[k]) = (codes[k], codes[1]);
                        watches[codes[1]].Add(clauseIndex);
                        moved = true;
                        break;
                    }
                }

                if (moved)
                {
                    continue;
                }

                watchList.Set(kept++, clauseIndex);
                if (LiteralValue(codes[0]) < 0)
                {
                    for (var rest = i + 1; rest < count; rest++)
                    {
                        watchList.Set(kept++, watchList[rest]);
                    }

                    watchList.Truncate(kept);
                    propagateHead = trailCount;
                    return clauseIndex;
                }

                Enqueue(codes[0], clauseIndex);
            }

            watchList.Truncate(kept);
        }

        return NoReason;
    }

    /// <summary>Learns from a conflict and backjumps; false when the conflict holds at level 0 (unsatisfiable).</summary>
    private bool ResolveConflict(int conflict)
    {
        Statistics.Conflicts++;
        var highest = 0;
        foreach (var code in clauses[conflict])
        {
            highest = Math.Max(highest, levels[code >> 1]);
        }

        if (highest == 0)
        {
            MarkUnsatisfiable(conflict);
            return false;
        }

        if (highest < DecisionLevel)
        {
            Backtrack(highest);
        }

        var (learnt, antecedents) = Analyze(conflict);
        var backLevel = 0;
        for (var i = 1; i < learnt.Length; i++)
        {
            if (levels[learnt[i] >> 1] > backLevel)
            {
                backLevel = levels[learnt[i] >> 1];
                (learnt[1], learnt[i]) = (learnt[i], learnt[1]);
            }
        }

        Backtrack(backLevel);
        var index = StoreClause(learnt, LearntTag, antecedents);
        Statistics.LearntClauses++;
        if (learnt.Length > 1)
        {
            Watch(index);
        }

        Enqueue(learnt[0], index);
        return true;
    }

    /// <summary>First-UIP analysis: resolves the conflict with reasons of the current level until one literal of it remains.</summary>
    private (int[] Learnt, int[] Antecedents) Analyze(int conflict)
    {
        var learnt = new List<int> { 0 };
        var antecedents = new List<int> { conflict };
        var pathCount = 0;
        var uip = -1;
        var index = trailCount - 1;
        var clause = conflict;
        var touched = new List<int>();
        while (true)
        {
            foreach (var code in clauses[clause])
            {
                var variable = code >> 1;
                if (seen[variable])
                {
                    continue;
                }

                if (levels[variable] == 0)
                {
                    if (reasons[variable] != NoReason)
                    {
                        antecedents.Add(reasons[variable]);
                    }

                    continue;
                }

                seen[variable] = true;
                touched.Add(variable);
                if (levels[variable] == DecisionLevel)
                {
                    pathCount++;
                }
                else
                {
                    learnt.Add(code);
                }
            }

            while (!seen[trail[index] >> 1])
            {
                index--;
            }

            uip = trail[index];
            index--;
            pathCount--;
            if (pathCount <= 0)
            {
                break;
            }

            clause = reasons[uip >> 1];
            antecedents.Add(clause);
        }

        foreach (var variable in touched)
        {
            seen[variable] = false;
        }

        learnt[0] = uip ^ 1;
        return ([.. learnt], [.. antecedents]);
    }

    private void Backtrack(int level)
    {
        if (level >= DecisionLevel)
        {
            return;
        }

        var start = levelStarts[level];
        for (var i = trailCount - 1; i >= start; i--)
        {
            var variable = trail[i] >> 1;
            values[variable] = 0;
            reasons[variable] = NoReason;
            if (variable < unassignedCursor)
            {
                unassignedCursor = variable;
            }
        }

        trailCount = start;
        propagateHead = Math.Min(propagateHead, start);
        levelStarts.Truncate(level);
    }

    private void MarkUnsatisfiable(int conflict)
    {
        unsatisfiable = true;
        finalConflict = conflict;
    }
}
