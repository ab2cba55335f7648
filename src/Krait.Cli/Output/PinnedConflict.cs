using Krait.Conda.Specs;

namespace Krait.Cli.Output;

/// <summary>conda's <c>SpecsConfigurationConflictError</c>: what was asked for and the pins that forbid it.</summary>
internal static class PinnedConflict
{
    public static void ThrowIfAny(IReadOnlyList<(MatchSpec Requested, MatchSpec Pin)> conflicts)
    {
        if (conflicts.Count == 0)
        {
            return;
        }

        throw new KraitException(
            "SpecsConfigurationConflictError",
            "Requested specs conflict with configured specs.\n  requested specs:\n"
                + string.Join('\n', conflicts.Select(c => c.Requested).Distinct().Select(s => $"    - {s}"))
                + "\n  pinned specs:\n"
                + string.Join('\n', conflicts.Select(c => c.Pin).Distinct().Select(s => $"    - {s}")),
            "change or remove the pin (conda-meta/pinned in the environment, pinned_packages in .condarc), or ask for a version it allows");
    }
}
