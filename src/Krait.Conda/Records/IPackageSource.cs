namespace Krait.Conda.Records;

/// <summary>A record the solver may choose, with the priority of the channel it came from (0 = highest).</summary>
public readonly record struct Candidate(PackageRecord Record, int ChannelPriority);

/// <summary>Where the solver gets the records of a name; called once per name the solve reaches.</summary>
public interface IPackageSource
{
    IReadOnlyList<Candidate> CandidatesOf(string name);
}
