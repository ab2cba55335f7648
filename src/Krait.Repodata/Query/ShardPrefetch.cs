using System.Collections.Concurrent;
using Krait.Conda.Specs;

namespace Krait.Repodata.Query;

/// <summary>
/// Fetches, concurrently and level by level, the shards of every name reachable from a name through the
/// dependencies of any of its records, as rattler's gateway does: the solver then finds them read, instead of
/// waiting for one shard at a time as it reaches each name. Reachable through any version is more than a solve
/// needs, but every name it can need is among them, and they arrive in a few round trips instead of one per name.
/// </summary>
internal static class ShardPrefetch
{
    /// <summary>Concurrent requests: enough to hide the round trip, few enough for one server.</summary>
    private const int Workers = 16;

    /// <param name="seen">Names already fetched (or being fetched) by an earlier call; extended with the new ones.</param>
    public static void Reachable(string root, IEnumerable<ISubdirSource> sources, HashSet<string> seen)
    {
        if (!seen.Add(root))
        {
            return;
        }

        var subdirs = sources.Where(source => source.FetchesPerName).ToList();
        if (subdirs.Count == 0)
        {
            return;
        }

        List<string> level = [root];
        while (level.Count > 0)
        {
            var found = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            var work = new ConcurrentQueue<(ISubdirSource Subdir, string Name)>(level.SelectMany(name => subdirs.Select(subdir => (subdir, name))));
            Exception? failure = null;
            var threads = Enumerable.Range(0, Math.Min(Workers, work.Count)).Select(_ => new Thread(() =>
            {
                // Dedicated threads: the fetches block on the network, and the thread pool would add threads for them only slowly.
                while (Volatile.Read(ref failure) is null && work.TryDequeue(out var item))
                {
                    try
                    {
                        foreach (var listed in item.Subdir.InstallableRecordsOf(item.Name))
                        {
                            foreach (var dependency in listed.Record.Depends)
                            {
                                found.TryAdd(MatchSpec.NameOf(dependency), 0);
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                }
            }) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            if (failure is not null)
            {
                // The solver reads the same shard next and reports the failure where it belongs (or finds it cached).
                return;
            }

            // Virtual packages (__glibc…) have no shards.
            level = [.. found.Keys.Where(n => !n.StartsWith("__", StringComparison.Ordinal) && seen.Add(n)).Order(StringComparer.Ordinal)];
        }
    }
}
