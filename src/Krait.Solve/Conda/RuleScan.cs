using Krait.Solve.Sat;

namespace Krait.Solve.Conda;

/// <summary>
/// The order in which libsolv takes its decisions (<c>solver_run_sat</c>), which decides which of several valid
/// environments comes out:
/// <list type="number">
/// <item>The requests (libsolv's jobs), in the order given (libmamba's: by name), each its best candidate.</item>
/// <item>Then the dependencies of the chosen records, as libsolv keeps its rules: sorted by the requiring record,
/// the last-listed first (a rule's first literal is minus the requirer's number, and the rules are sorted), then by
/// the candidates' numbers. The scan goes round from the rule after the last one decided; a rule whose best
/// candidates tie (variants) is postponed on the first round, so that every rule with one clear best is decided
/// before any variant is picked; when a whole round decides nothing, the scan goes on from the first postponed rule
/// without postponing any more.</item>
/// <item>When a conflict takes the search back below the level where the dependencies began, everything restarts
/// from the requests.</item>
/// </list>
/// Rules with one candidate are left out: propagation decides them.
/// </summary>
internal sealed class RuleScan(Func<int, long> orderOf, Func<int, int> rankOf, CandidateChoice choice, Func<int, Option> optionOf, Func<int, bool> viable)
{
    private readonly List<Rule> jobs = [];
    private readonly List<Rule> rules = [];
    private readonly List<Option> open = [];
    private bool inDependencies;
    private int dependenciesLevel;
    private int next;
    private int sinceDecision;
    private Rule? postponed;
    private bool postponing;

    /// <summary>A request: one of <paramref name="candidates"/> must be installed.</summary>
    public void AddJob(int[] candidates) => jobs.Add(NewRule(0, candidates));

    /// <summary>A dependency of <paramref name="requirer"/>: one of <paramref name="candidates"/> (in libsolv's order) when it is installed.</summary>
    public void AddRule(int requirer, int[] candidates)
    {
        if (candidates.Length < 2)
        {
            return;
        }

        var rule = NewRule(requirer, candidates);
        var index = rules.BinarySearch(rule, RuleComparer.Instance);
        if (index >= 0)
        {
            return; // libsolv keeps one copy of identical rules
        }

        index = ~index;
        rules.Insert(index, rule);
        if (index < next)
        {
            next++; // the scan goes on with the same rule; the new one comes round later, as in libsolv
        }
    }

    public bool TryDecide(SatSolver sat, out Literal decision)
    {
        if (inDependencies && sat.DecisionLevel < dependenciesLevel)
        {
            inDependencies = false;
        }

        if (!inDependencies)
        {
            foreach (var job in jobs)
            {
                if (Choose(sat, job, postpone: false, out decision) == Outcome.Decided)
                {
                    return true;
                }
            }

            inDependencies = true;
            dependenciesLevel = sat.DecisionLevel;
            next = 0;
            sinceDecision = 0;
            postponed = null;
            postponing = true;
        }

        while (true)
        {
            if (sinceDecision >= rules.Count)
            {
                if (!postponing || postponed is null)
                {
                    decision = default;
                    return false;
                }

                next = rules.BinarySearch(postponed, RuleComparer.Instance);
                postponed = null;
                postponing = false;
                sinceDecision = 0;
            }

            if (next >= rules.Count)
            {
                next = 0;
            }

            var rule = rules[next];
            next++;
            sinceDecision++;
            if (!sat.IsTrue(rule.Requirer))
            {
                continue;
            }

            switch (Choose(sat, rule, postponing, out decision))
            {
                case Outcome.Decided:
                    sinceDecision = 0;
                    return true;
                case Outcome.Postponed:
                    postponed ??= rule;
                    break;
            }
        }
    }

    /// <summary>
    /// The best open candidate of a rule that no candidate satisfies yet. Nothing when it is satisfied or has nothing
    /// open; postponed when <paramref name="postpone"/> and its best candidates tie.
    /// </summary>
    private Outcome Choose(SatSolver sat, Rule rule, bool postpone, out Literal decision)
    {
        decision = default;
        foreach (var candidate in rule.Candidates)
        {
            if (sat.Value(candidate) == true)
            {
                return Outcome.Nothing;
            }
        }

        var fallback = 0;
        var at = 0;
        var byRank = rule.ByRank;
        while (true)
        {
            // The open candidates of the best rank left (candidates are sorted by rank, then in libsolv's order).
            open.Clear();
            while (at < byRank.Length && sat.Value(byRank[at]) is not null)
            {
                at++;
            }

            if (at == byRank.Length)
            {
                if (fallback == 0)
                {
                    return Outcome.Nothing;
                }

                // Nothing can be chosen without breaking a rule at once: the conflict analysis will say what to undo.
                decision = Literal.Positive(fallback);
                return Outcome.Decided;
            }

            var rank = rankOf(byRank[at]);
            fallback = fallback == 0 ? byRank[at] : fallback;
            for (; at < byRank.Length && rankOf(byRank[at]) == rank; at++)
            {
                // libsolv has every rule from the start, so a candidate whose dependencies or constraints are already
                // impossible is false before it could be chosen, and not among the ones it chooses from. Krait adds a
                // record's rules when it is chosen, so it looks one step ahead instead.
                if (sat.Value(byRank[at]) is null && viable(byRank[at]))
                {
                    open.Add(optionOf(byRank[at]));
                }
            }

            if (open.Count == 0)
            {
                continue;
            }

            if (postpone && open.Count > 1)
            {
                return Outcome.Postponed;
            }

            choice.OrderTies(open);
            decision = Literal.Positive(open[0].Variable);
            return Outcome.Decided;
        }
    }

    private enum Outcome
    {
        Nothing,
        Postponed,
        Decided,
    }

    private Rule NewRule(int requirer, int[] candidates)
    {
        var byRank = (int[])candidates.Clone();
        Array.Sort(byRank, (a, b) => rankOf(a) != rankOf(b) ? rankOf(a).CompareTo(rankOf(b)) : orderOf(a).CompareTo(orderOf(b)));
        return new Rule(requirer, requirer == 0 ? 0 : orderOf(requirer), candidates, [.. candidates.Select(orderOf)], byRank);
    }

    /// <param name="Candidates">In libsolv's order (what the rule order compares).</param>
    /// <param name="ByRank">The same, best rank first (what the choice walks).</param>
    private sealed record Rule(int Requirer, long RequirerOrder, int[] Candidates, long[] CandidateOrders, int[] ByRank);

    /// <summary>libsolv's rule order for dependency rules: the later-listed requirer first, then the candidates' numbers compared in turn.</summary>
    private sealed class RuleComparer : IComparer<Rule>
    {
        public static readonly RuleComparer Instance = new();

        public int Compare(Rule? x, Rule? y)
        {
            var order = y!.RequirerOrder.CompareTo(x!.RequirerOrder);
            if (order != 0)
            {
                return order;
            }

            var count = Math.Min(x.CandidateOrders.Length, y.CandidateOrders.Length);
            for (var i = 0; i < count; i++)
            {
                order = x.CandidateOrders[i].CompareTo(y.CandidateOrders[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            order = x.CandidateOrders.Length.CompareTo(y.CandidateOrders.Length);
            return order != 0 ? order : x.Requirer.CompareTo(y.Requirer);
        }
    }
}
