using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>Why a clause exists, in the user's terms; an unsatisfiable solve is explained from these.</summary>
internal abstract record ClauseReason
{
    /// <summary>The user asked for <paramref name="Spec"/>.</summary>
    public sealed record Requested(MatchSpec Spec) : ClauseReason;

    /// <summary><paramref name="Package"/> depends on <paramref name="Dependency"/>.</summary>
    public sealed record Requires(PackageRecord Package, string Dependency) : ClauseReason;

    /// <summary>No record anywhere matches <paramref name="Dependency"/> (of <paramref name="Package"/>, or requested when null).</summary>
    public sealed record NothingProvides(PackageRecord? Package, string Dependency) : ClauseReason;

    /// <summary><paramref name="Package"/> cannot be installed: its metadata holds the unreadable spec <paramref name="Text"/>.</summary>
    public sealed record Unreadable(PackageRecord Package, string Text) : ClauseReason;

    /// <summary>Only one record of a name can be installed.</summary>
    public sealed record OnePerName(string Name) : ClauseReason;

    /// <summary><paramref name="Package"/> constrains <paramref name="Constraint"/> (its <c>constrains</c>/<c>run_constrained</c>).</summary>
    public sealed record Constrains(PackageRecord Package, string Constraint) : ClauseReason;
}
