namespace Krait.Index;

/// <summary>
/// A subdir's records before and after its patch instructions, by file name (ordinal order, as repodata.json lists
/// them), with the packages they came from: what repodata, shards and channeldata are written from.
/// </summary>
public sealed class SubdirView
{
    private SubdirView(string subdir, Dictionary<string, IndexedPackage> packages)
    {
        Subdir = subdir;
        Packages = packages;
    }

    public string Subdir { get; }

    /// <summary>Every indexed archive by file name (patch removals included).</summary>
    public IReadOnlyDictionary<string, IndexedPackage> Packages { get; }

    public SortedDictionary<string, byte[]> UnpatchedTarBz2 { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> UnpatchedConda { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> TarBz2 { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> Conda { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Removed { get; } = new(StringComparer.Ordinal);

    public static SubdirView Build(string subdir, IEnumerable<IndexedPackage> packages, PatchInstructions? patches)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var view = new SubdirView(subdir, packages.ToDictionary(p => p.FileName, StringComparer.Ordinal));
        foreach (var package in view.Packages.Values)
        {
            (ChannelLayout.IsConda(package.FileName) ? view.UnpatchedConda : view.UnpatchedTarBz2)[package.FileName] = package.Record;
            (ChannelLayout.IsConda(package.FileName) ? view.Conda : view.TarBz2)[package.FileName] = package.Record;
        }

        patches?.Apply(view.TarBz2, view.Conda, view.Removed);
        return view;
    }

    /// <summary>The patched records grouped by package name, names in order: one shard each.</summary>
    public IEnumerable<(string Name, (List<KeyValuePair<string, byte[]>> TarBz2, List<KeyValuePair<string, byte[]>> Conda) Records)> ByName()
    {
        var byName = new SortedDictionary<string, (List<KeyValuePair<string, byte[]>>, List<KeyValuePair<string, byte[]>>)>(StringComparer.Ordinal);
        foreach (var (section, conda) in new[] { (TarBz2, false), (Conda, true) })
        {
            foreach (var record in section)
            {
                var name = Packages[record.Key].Name;
                if (!byName.TryGetValue(name, out var lists))
                {
                    byName[name] = lists = ([], []);
                }

                (conda ? lists.Item2 : lists.Item1).Add(record);
            }
        }

        foreach (var (name, lists) in byName)
        {
            yield return (name, lists);
        }
    }
}
