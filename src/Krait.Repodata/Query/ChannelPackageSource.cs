using Krait.Conda;

namespace Krait.Repodata;

/// <summary>
/// The records of a list of channels (highest priority first) for one platform and noarch, served by name to the
/// solver. Each channel subdir is parsed once, on first use, and indexed by name.
/// </summary>
public sealed class ChannelPackageSource(IReadOnlyList<Channel> channels, string platform) : IPackageSource
{
    private Dictionary<string, List<Candidate>>? byName;

    public IReadOnlyList<Candidate> CandidatesOf(string name)
    {
        byName ??= Index();
        return byName.TryGetValue(name, out var candidates) ? candidates : [];
    }

    private Dictionary<string, List<Candidate>> Index()
    {
        var index = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        for (var priority = 0; priority < channels.Count; priority++)
        {
            foreach (var repodata in ChannelLoader.Load(channels[priority], platform))
            {
                foreach (var record in repodata.Records())
                {
                    if (!index.TryGetValue(record.Name, out var list))
                    {
                        list = [];
                        index[record.Name] = list;
                    }

                    list.Add(new Candidate(record, priority));
                }
            }
        }

        return index;
    }
}
