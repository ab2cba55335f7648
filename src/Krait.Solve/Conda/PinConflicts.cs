using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// Requested specs that a pin makes impossible: some candidate meets the spec, none meets it and the pin. conda
/// refuses these before solving (<c>SpecsConfigurationConflictError</c>) rather than reporting a conflict.
/// </summary>
public static class PinConflicts
{
    public static IReadOnlyList<(MatchSpec Requested, MatchSpec Pin)> Of(IEnumerable<MatchSpec> specs, IReadOnlyList<MatchSpec> pins, IPackageSource source)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentNullException.ThrowIfNull(source);
        var conflicts = new List<(MatchSpec, MatchSpec)>();
        if (pins.Count == 0)
        {
            return conflicts;
        }

        foreach (var spec in specs)
        {
            if (spec.Name.ExactValue is not { } name)
            {
                continue;
            }

            var meeting = source.CandidatesOf(name).Where(c => spec.Matches(c.Record)).ToList();
            foreach (var pin in pins.Where(p => p.Name.Matches(name)))
            {
                if (meeting.Count > 0 && !meeting.Exists(c => pin.Matches(c.Record)))
                {
                    conflicts.Add((spec, pin));
                }
            }
        }

        return conflicts;
    }
}
