using Krait.Conda.Specs;
using Krait.Conda.VirtualPackages;

namespace Krait.Solve.Conda;

/// <summary>What to solve: the requested specs (in order), the machine's virtual packages and the channel policy.</summary>
public sealed record SolveRequest(
    IReadOnlyList<MatchSpec> Specs,
    IReadOnlyList<VirtualPackage> VirtualPackages,
    ChannelPriority ChannelPriority = ChannelPriority.Strict);
