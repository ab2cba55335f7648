using Krait.Index;
using Krait.Server.Metadata;

namespace Krait.Server.Publishing;

/// <summary>
/// What the server holds of one published label/subdir between publications: every record (from the database) with
/// its rendered repodata fragment, by file name in repodata's order, the file names of each package name, and each
/// name's shard hash. An upload then changes the records of one name, not the whole subdir.
/// </summary>
public sealed class SubdirState(string subdir)
{
    private readonly Dictionary<string, HashSet<string>> fileNamesByName = new(StringComparer.Ordinal);

    public string Subdir { get; } = subdir;

    public bool Loaded { get; private set; }

    public SortedDictionary<string, Entry> TarBz2 { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, Entry> Conda { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, byte[]> ShardHashes { get; } = new(StringComparer.Ordinal);

    /// <summary>When superseded shards were last looked for and deleted.</summary>
    public DateTime LastRetirement { get; set; }

    /// <summary>The metadata's generation of this label/subdir the records are of (<see cref="Metadata.MetadataStore.ChangesSince"/>).</summary>
    public long Generation { get; set; }

    /// <summary>
    /// Names whose records were reloaded (another instance changed them) but whose shards this instance has not written
    /// since: its next shard index must not name their old shards. Null: every name (the subdir was loaded whole).
    /// </summary>
    public HashSet<string>? Unwritten { get; private set; } = [];

    /// <summary>Nothing is left unwritten: the shards and shard index were just written from these records.</summary>
    public void Written() => Unwritten = [];

    /// <summary>
    /// All the subdir's rows, replacing what was held, with the shards the stored index names. Those of
    /// <paramref name="changedSinceShards"/> (names changed since that index was written; null: unknown, so all) and
    /// of names the index lacks are left to write.
    /// </summary>
    public void Load(IEnumerable<PackageFileRow> rows, IReadOnlyDictionary<string, byte[]> shardHashes, IReadOnlyCollection<string>? changedSinceShards)
    {
        ArgumentNullException.ThrowIfNull(shardHashes);
        TarBz2.Clear();
        Conda.Clear();
        fileNamesByName.Clear();
        ShardHashes.Clear();
        foreach (var (name, hash) in shardHashes)
        {
            ShardHashes[name] = hash;
        }

        Add(rows);
        Loaded = true;
        if (changedSinceShards is null)
        {
            Unwritten = null;
            return;
        }

        Unwritten = new HashSet<string>(changedSinceShards, StringComparer.Ordinal);
        Unwritten.UnionWith(fileNamesByName.Keys.Where(name => !ShardHashes.ContainsKey(name)));
    }

    /// <summary>The rows of <paramref name="names"/> as the database now has them, replacing what was held of those names.</summary>
    public void Replace(IReadOnlySet<string> names, IEnumerable<PackageFileRow> rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (fileNamesByName.Remove(name, out var fileNames))
            {
                foreach (var fileName in fileNames)
                {
                    Section(fileName).Remove(fileName);
                }
            }
        }

        Add(rows);
        Unwritten?.UnionWith(names);
    }

    public IEnumerable<string> Names => fileNamesByName.Keys;

    /// <summary>How many records the subdir has.</summary>
    public int Count => TarBz2.Count + Conda.Count;

    /// <summary>The entries of one package name, by file name.</summary>
    public IEnumerable<Entry> EntriesOf(string name) =>
        fileNamesByName.TryGetValue(name, out var fileNames) ? fileNames.Order(StringComparer.Ordinal).Select(f => Section(f)[f]) : [];

    public IEnumerable<Entry> Entries => TarBz2.Values.Concat(Conda.Values);

    private void Add(IEnumerable<PackageFileRow> rows)
    {
        foreach (var row in rows)
        {
            var package = new IndexedPackage(row.Filename, row.Size, 0, row.Name, row.Version, row.Timestamp, row.Record, row.About, row.RunExports, (PostInstall)row.PostInstall);
            Section(row.Filename)[row.Filename] = new Entry(package, RecordFragments.Render(row.Record));
            if (!fileNamesByName.TryGetValue(row.Name, out var fileNames))
            {
                fileNamesByName[row.Name] = fileNames = new HashSet<string>(StringComparer.Ordinal);
            }

            fileNames.Add(row.Filename);
        }
    }

    private SortedDictionary<string, Entry> Section(string fileName) => ChannelLayout.IsConda(fileName) ? Conda : TarBz2;

    /// <summary>The records as they are now, in repodata's order, for writing without holding the label's lock.</summary>
    public Snapshot Take() => new(Subdir, [.. TarBz2.Values], [.. Conda.Values]);

    /// <summary>A subdir's records at one moment.</summary>
    public sealed record Snapshot(string Subdir, IReadOnlyList<Entry> TarBz2, IReadOnlyList<Entry> Conda);

    /// <summary>A record with its rendered repodata fragment.</summary>
    public sealed record Entry(IndexedPackage Package, byte[] Fragment);
}
