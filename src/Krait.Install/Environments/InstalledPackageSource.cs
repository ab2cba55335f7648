using Krait.Conda.Records;

namespace Krait.Install.Environments;

/// <summary>
/// The channels' records plus the environment's installed ones, so that a package installed from a channel no longer
/// listed (or a file since removed from it) can still be kept. Installed records count as the lowest-priority channel
/// and are only added where no channel serves the same build.
/// </summary>
public sealed class InstalledPackageSource(IPackageSource channels, IReadOnlyList<PackageRecord> installed, int installedPriority) : IPackageSource
{
    /// <summary>libmamba reads the installed records after the channels' (their order comes after every channel record's).</summary>
    private const long InstalledOrder = long.MaxValue / 2;

    private readonly Dictionary<string, IReadOnlyList<Candidate>> cache = new(StringComparer.Ordinal);

    public IReadOnlyList<Candidate> CandidatesOf(string name)
    {
        if (cache.TryGetValue(name, out var known))
        {
            return known;
        }

        var fromChannels = channels.CandidatesOf(name);
        var extra = installed
            .Select((record, index) => (Record: record, Index: index))
            .Where(r => r.Record.Name == name && !fromChannels.Any(c => c.Record.Version == r.Record.Version && c.Record.Build == r.Record.Build))
            .Select(r => new Candidate(r.Record, installedPriority, InstalledOrder + r.Index))
            .ToList();
        var all = extra.Count == 0 ? fromChannels : [.. fromChannels, .. extra];
        cache[name] = all;
        return all;
    }
}
