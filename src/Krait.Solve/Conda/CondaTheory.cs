using Krait.Conda.Channels;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Solve.Sat;

namespace Krait.Solve.Conda;

/// <summary>
/// The conda encoding on top of the generic engine. One variable per candidate record, created when its name is
/// first reached. Clauses: each request needs one matching record; a chosen record needs one record per dependency
/// and excludes the other records of its name and the records its <c>constrains</c> rule out — all added lazily,
/// when the record is first chosen. Decisions are libsolv's, in its order (<see cref="RuleScan"/>) and by its
/// choice among candidates (<see cref="CandidateChoice"/>), so that Krait picks the environment conda and mamba pick
/// where several are valid; see this project's README.
/// </summary>
internal sealed class CondaTheory : ISatTheory
{
    private readonly SolveRequest request;
    private readonly IPackageSource source;
    private readonly CandidateChoice choice;
    private readonly RuleScan scan;
    private readonly Dictionary<string, NameGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<Candidate>> raw = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MatchSpec?> specs = new(StringComparer.Ordinal);
    private readonly List<string> warnings = [];
    private readonly Dictionary<(string Group, string Spec), int[]> matches = [];
    private readonly List<NameGroup?> groupOfVariable = [null];
    private readonly List<int> indexOfVariable = [0];
    private readonly HashSet<int> withRules = []; // the variables whose record's rules were added (on first true)
    private readonly List<ClauseReason> reasons = [];
    private readonly SatSolver solver;

    /// <summary>libmamba reads the virtual packages last, after every channel.</summary>
    private const long VirtualOrder = long.MaxValue;

    public CondaTheory(SolveRequest request, IPackageSource source)
    {
        this.request = request;
        this.source = source;
        choice = new CandidateChoice(request.ChannelPriority, new VariantOrder(EveryRecordOf, ParsedOrNull, DependenciesOf));
        scan = new RuleScan(OrderOf, RankOf, choice, OptionOf, Viable);
        solver = new SatSolver(this);
    }

    public IReadOnlyList<ClauseReason> Reasons => reasons;

    public SatSolver Solver => solver;

    /// <summary>Adds the requests, as clauses and as libsolv's jobs; one that matches nothing makes the problem unsatisfiable.</summary>
    public void AddRequests()
    {
        // libmamba sorts the request by package name before it becomes libsolv's jobs ("to get a deterministic
        // solution"), so `scipy python=3.12` decides python first.
        foreach (var spec in request.Specs.OrderBy(s => s.Name.ToString(), StringComparer.Ordinal))
        {
            if (!spec.IsNameExact)
            {
                throw new ArgumentException($"cannot install '{spec}': a requested package needs an exact name, not a pattern", nameof(request));
            }

            var candidates = MatchingVariables(spec.Name.ExactValue!, spec.ToString(), spec);
            if (candidates.Length == 0)
            {
                solver.AddClause([], Reason(new ClauseReason.NothingProvides(null, spec.ToString())));
                continue;
            }

            AddRequirement(candidates, Reason(new ClauseReason.Requested(spec)), negatedSource: null);
            scan.AddJob(candidates);
        }
    }

    /// <summary>What the solve left out and why (records whose metadata cannot be read).</summary>
    public IReadOnlyList<string> Warnings => warnings;

    public void OnFirstTrue(SatSolver sat, int variable)
    {
        if (!withRules.Add(variable))
        {
            return;
        }

        var group = groupOfVariable[variable]!;
        var record = group.Candidates[indexOfVariable[variable]].Record;

        // One record per name.
        var onePerName = -1;
        for (var i = 0; i < group.Candidates.Length; i++)
        {
            var other = group.FirstVariable + i;
            if (other != variable)
            {
                onePerName = onePerName < 0 ? Reason(new ClauseReason.OnePerName(group.Name)) : onePerName;
                sat.AddClause([Literal.Negative(variable), Literal.Negative(other)], onePerName);
            }
        }

        foreach (var dependency in DependenciesOf(record))
        {
            if (!TrySpec(record, dependency, variable, sat, out var spec))
            {
                continue;
            }

            var candidates = spec.IsNameExact ? MatchingVariables(spec.Name.ExactValue!, dependency, spec) : [];
            if (candidates.Length == 0)
            {
                sat.AddClause([Literal.Negative(variable)], Reason(new ClauseReason.NothingProvides(record, dependency)));
                continue;
            }

            AddRequirement(candidates, Reason(new ClauseReason.Requires(record, dependency)), variable);
            scan.AddRule(variable, candidates);
        }

        foreach (var constraint in record.Constrains)
        {
            if (!TrySpec(record, constraint, variable, sat, out var spec) || !spec.IsNameExact)
            {
                continue;
            }

            var constrained = Group(spec.Name.ExactValue!);
            var tag = -1;
            for (var i = 0; i < constrained.Candidates.Length; i++)
            {
                if (!spec.Matches(constrained.Candidates[i].Record))
                {
                    tag = tag < 0 ? Reason(new ClauseReason.Constrains(record, constraint)) : tag;
                    sat.AddClause([Literal.Negative(variable), Literal.Negative(constrained.FirstVariable + i)], tag);
                }
            }
        }
    }

    public bool TryDecide(SatSolver sat, out Literal decision) => scan.TryDecide(sat, out decision);

    /// <summary>The chosen records, without virtual packages.</summary>
    public List<PackageRecord> Chosen()
    {
        var chosen = new List<PackageRecord>();
        for (var variable = 1; variable < groupOfVariable.Count; variable++)
        {
            if (solver.IsTrue(variable) && !groupOfVariable[variable]!.IsVirtual)
            {
                chosen.Add(groupOfVariable[variable]!.Candidates[indexOfVariable[variable]].Record);
            }
        }

        chosen.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return chosen;
    }

    private void AddRequirement(int[] candidates, int tag, int? negatedSource)
    {
        var literals = new Literal[candidates.Length + (negatedSource is null ? 0 : 1)];
        var at = 0;
        if (negatedSource is { } source)
        {
            literals[at++] = Literal.Negative(source);
        }

        foreach (var candidate in candidates)
        {
            literals[at++] = Literal.Positive(candidate);
        }

        solver.AddClause(literals, tag);
    }

    private long OrderOf(int variable) => groupOfVariable[variable]!.Candidates[indexOfVariable[variable]].Order;

    private int RankOf(int variable) => groupOfVariable[variable]!.Ranks[indexOfVariable[variable]];

    private Option OptionOf(int variable) => new(variable, groupOfVariable[variable]!.Candidates[indexOfVariable[variable]]);

    /// <summary>
    /// False when choosing the record of <paramref name="variable"/> would break a rule at once: one of its
    /// dependencies has no candidate left, or one of its constraints excludes a record already chosen.
    /// </summary>
    private bool Viable(int variable)
    {
        if (withRules.Contains(variable))
        {
            return true;
        }

        var record = groupOfVariable[variable]!.Candidates[indexOfVariable[variable]].Record;
        foreach (var dependency in DependenciesOf(record))
        {
            if (ParsedOrNull(dependency) is not { IsNameExact: true } spec)
            {
                return false;
            }

            var possible = false;
            foreach (var candidate in MatchingVariables(spec.Name.ExactValue!, dependency, spec))
            {
                if (solver.Value(candidate) != false)
                {
                    possible = true;
                    break;
                }
            }

            if (!possible)
            {
                return false;
            }
        }

        foreach (var constraint in record.Constrains)
        {
            if (ParsedOrNull(constraint) is not { IsNameExact: true } spec || !groups.TryGetValue(spec.Name.ExactValue!, out var constrained))
            {
                continue;
            }

            for (var i = 0; i < constrained.Candidates.Length; i++)
            {
                if (solver.IsTrue(constrained.FirstVariable + i) && !spec.Matches(constrained.Candidates[i].Record))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private int Reason(ClauseReason reason)
    {
        reasons.Add(reason);
        return reasons.Count - 1;
    }

    /// <summary>
    /// The parsed dependency or constraint of <paramref name="record"/>. One that cannot be read (a channel's typo, or
    /// a spec built to crash parsers) makes that record uninstallable and is reported, instead of failing every
    /// solve that reaches its name.
    /// </summary>
    private bool TrySpec(PackageRecord record, string text, int variable, SatSolver sat, out MatchSpec spec)
    {
        if (ParsedOrNull(text) is { } parsed)
        {
            spec = parsed;
            return true;
        }

        spec = null!;
        string why;
        try
        {
            MatchSpec.Parse(text);
            why = "unreadable";
        }
        catch (Exception e) when (e is ConstraintParseException or ArgumentException)
        {
            why = e.Message;
        }

        warnings.Add($"{RecordOrigin(record)}: {record.FileName} is left out: its metadata holds the unreadable spec '{PackageNaming.Shown(text)}' ({PackageNaming.Shown(why)})");
        sat.AddClause([Literal.Negative(variable)], Reason(new ClauseReason.Unreadable(record, text)));
        return false;
    }

    /// <summary>The parsed spec, or null when it cannot be read (cached either way).</summary>
    private MatchSpec? ParsedOrNull(string text)
    {
        if (!specs.TryGetValue(text, out var spec))
        {
            try
            {
                spec = MatchSpec.Parse(text);
            }
            catch (Exception e) when (e is ConstraintParseException or ArgumentException)
            {
                spec = null;
            }

            specs[text] = spec;
        }

        return spec;
    }

    private static string RecordOrigin(PackageRecord record) => Channel.Redact(record.Channel ?? "a channel") + (record.Subdir is { } subdir ? "/" + subdir : string.Empty);

    /// <summary>The variables of the records of <paramref name="name"/> that match, in preference order (cached per spec text).</summary>
    private int[] MatchingVariables(string name, string specText, MatchSpec spec)
    {
        if (matches.TryGetValue((name, specText), out var cached))
        {
            return cached;
        }

        var group = Group(name);
        var result = new List<int>();
        for (var i = 0; i < group.Candidates.Length; i++)
        {
            if (spec.Matches(group.Candidates[i].Record))
            {
                result.Add(group.FirstVariable + i);
            }
        }

        var array = result.ToArray();
        matches[(name, specText)] = array;
        return array;
    }

    private NameGroup Group(string name)
    {
        if (groups.TryGetValue(name, out var group))
        {
            return group;
        }

        var isVirtual = name.StartsWith("__", StringComparison.Ordinal);
        var candidates = RawCandidates(name).ToArray();

        // libsolv's order (what it finds a dependency's candidates in); stable for records without one.
        var indexes = Enumerable.Range(0, candidates.Length).ToArray();
        Array.Sort(indexes, (a, b) => candidates[a].Order != candidates[b].Order ? candidates[a].Order.CompareTo(candidates[b].Order) : a.CompareTo(b));
        candidates = [.. indexes.Select(i => candidates[i])];
        group = new NameGroup(name, candidates, choice.Ranks(candidates), solver.VariableCount + 1, isVirtual);
        for (var i = 0; i < candidates.Length; i++)
        {
            solver.NewVariable();
            groupOfVariable.Add(group);
            indexOfVariable.Add(i);
        }

        groups[name] = group;
        return group;
    }

    /// <summary>The records of a name the solve may use, before ordering: strict priority keeps the best channel only.</summary>
    private IReadOnlyList<Candidate> RawCandidates(string name)
    {
        if (raw.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var candidates = EveryRecordOf(name).ToArray();
        if (request.ChannelPriority == ChannelPriority.Strict && candidates.Length > 0)
        {
            // A name comes only from the highest-priority channel that has it.
            var best = candidates.Min(c => c.ChannelPriority);
            candidates = [.. candidates.Where(c => c.ChannelPriority == best)];
        }

        foreach (var pin in request.Pins)
        {
            if (pin.Name.Matches(name))
            {
                candidates = [.. candidates.Where(c => pin.Matches(c.Record))];
            }
        }

        raw[name] = candidates;
        return candidates;
    }

    /// <summary>Every record of a name, before channel priority or pins: the machine's virtual packages for a <c>__</c> name.</summary>
    private IReadOnlyList<Candidate> EveryRecordOf(string name) =>
        name.StartsWith("__", StringComparison.Ordinal)
            ? [.. request.VirtualPackages.Where(v => v.Name == name).Select(v => new Candidate(v.ToRecord(), 0, VirtualOrder))]
            : source.CandidatesOf(name);

    /// <summary>
    /// A record's dependencies as the solver sees them: its own, plus pip for a python when the request asks for it and
    /// the python's subdir has pip (<see cref="PipDependency"/>).
    /// </summary>
    private IEnumerable<string> DependenciesOf(PackageRecord record)
    {
        foreach (var dependency in record.Depends)
        {
            yield return dependency;
        }

        if (request.AddPipAsPythonDependency && PipDependency.Applies(record, () => EveryRecordOf(PipDependency.Dependency)))
        {
            yield return PipDependency.Dependency;
        }

        if (request.AddPipAsPythonDependency && record.Name == PipDependency.Dependency)
        {
            yield return "python"; // libmamba gives every pip a plain python dependency too
        }
    }

    /// <param name="Ranks">Per candidate, its rank in libsolv's choice (<see cref="CandidateChoice.Ranks"/>).</param>
    private sealed record NameGroup(string Name, Candidate[] Candidates, int[] Ranks, int FirstVariable, bool IsVirtual);
}
