namespace Krait.Conda.Records;

/// <summary>
/// A record the solver may choose, with the priority of the channel it came from (0 = highest) and its
/// <paramref name="Order"/>: where it stands in the order the channels list their records — channel by channel,
/// subdir by subdir (the platform before noarch), <c>.conda</c> records before <c>.tar.bz2</c> ones, each in file
/// order. libsolv numbers its solvables in that order, and some of its choices depend on the numbers.
/// </summary>
public readonly record struct Candidate(PackageRecord Record, int ChannelPriority, long Order = 0);

/// <summary>Where the solver gets the records of a name; called once per name the solve reaches.</summary>
public interface IPackageSource
{
    IReadOnlyList<Candidate> CandidatesOf(string name);
}
