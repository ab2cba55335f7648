using Krait.Conda.Specs;
using Krait.Conda.VirtualPackages;

namespace Krait.Solve.Conda;

/// <summary>What to solve: the requested specs (in order), the machine's virtual packages and the channel policy.</summary>
public sealed record SolveRequest(
    IReadOnlyList<MatchSpec> Specs,
    IReadOnlyList<VirtualPackage> VirtualPackages,
    ChannelPriority ChannelPriority = ChannelPriority.Strict)
{
    /// <summary>
    /// conda's <c>add_pip_as_python_dependency</c> (on by default in conda and micromamba): every python 2 or 3 record
    /// also depends on pip, so that an environment with python has pip.
    /// </summary>
    public bool AddPipAsPythonDependency { get; init; } = true;

    /// <summary>
    /// Pins (conda-meta/pinned, <c>pinned_packages</c>): a record of a pinned name is a candidate only if it matches
    /// every pin of that name. A pin restricts; it never asks for a package by itself.
    /// </summary>
    public IReadOnlyList<MatchSpec> Pins { get; init; } = [];
}
