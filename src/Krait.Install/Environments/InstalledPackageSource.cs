using Krait.Conda.Records;

namespace Krait.Install.Environments;

/// <summary>
/// The channels' records plus the environment's installed ones, so that a package installed from a channel no longer
/// listed (or a file since removed from it) can still be kept. Installed records count as the lowest-priority channel
/// and are only added where no channel serves the same build.
/// </summary>
public sealed class InstalledPackageSource(IPackageSource channels, IReadOnlyList<PackageRecord> installed, int installedPriority) : IPackageSource
{
    private readonly Dictionary<string, IReadOnlyList<Candidate>> cache = new(StringComparer.Ordinal);

    public IReadOnlyList<Candidate> CandidatesOf(string name)
    {
        if (cache.TryGetValue(name, out var known))
        {
            return known;
        }

        var fromChannels = channels.CandidatesOf(name);
        var extra = installed
            .Where(r => r.Name == name && !fromChannels.Any(c => c.Record.Version == r.Version && c.Record.Build == r.Build))
            .Select(r => new Candidate(r, installedPriority))
            .ToList();
        var all = extra.Count == 0 ? fromChannels : [.. fromChannels, .. extra];
        cache[name] = all;
        return all;
    }
}
