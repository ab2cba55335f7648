using Krait.Conda.Records;

namespace Krait.Repodata.Query;

/// <summary>
/// One subdir of a channel as the solver reads it, whatever it is made of: a local repodata.json, a remote one
/// fetched into the cache (both <see cref="Parsing.LazyRepodata"/>), or CEP-16 shards fetched name by name
/// (<see cref="Remote.ShardedSubdir"/>).
/// </summary>
public interface ISubdirSource : IDisposable
{
    /// <summary>
    /// The records of <paramref name="name"/> a solve may use, by place: the <c>.conda</c>-over-<c>.tar.bz2</c> rule
    /// applied (<see cref="RepoData.PreferConda"/>).
    /// </summary>
    IReadOnlyList<ListedRecord> InstallableRecordsOf(string name);

    /// <summary>The package names the subdir has (for suggestions when a requested name is not among them).</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Records skipped or doubted in what was read so far, each naming its file and record.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// True when each name's records are a request of their own (shards): the names a request can reach are then
    /// worth fetching concurrently before the solver asks for them one by one (<see cref="ShardPrefetch"/>).
    /// Must then be safe to read from several threads.
    /// </summary>
    bool FetchesPerName { get; }
}
