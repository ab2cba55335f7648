namespace Krait.Conda.Records;

/// <summary>
/// One subdir of a channel as its <c>repodata.json</c> describes it (CEP-36): the records of
/// <c>packages</c> (<c>.tar.bz2</c>) and <c>packages.conda</c>, <c>info</c>, <c>repodata_version</c> and <c>removed</c>.
/// Top-level keys Krait does not model are kept raw so that a rewrite loses nothing.
/// </summary>
public sealed class RepoData
{
    /// <summary>The subdir from <c>info.subdir</c> (or the folder the file was read from).</summary>
    public string? Subdir { get; init; }

    /// <summary><c>info.base_url</c> (CEP-15): where the package files live, when not beside the repodata.</summary>
    public string? BaseUrl { get; init; }

    public int? RepodataVersion { get; init; }

    /// <summary>Records of the <c>packages</c> section, in file order.</summary>
    public IReadOnlyList<PackageRecord> TarBz2Packages { get; init; } = [];

    /// <summary>Records of the <c>packages.conda</c> section, in file order.</summary>
    public IReadOnlyList<PackageRecord> CondaPackages { get; init; } = [];

    /// <summary>File names the channel removed (kept for rewriting; they are not installable).</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Keys of <c>info</c> other than <c>subdir</c> and <c>base_url</c>, as raw JSON values.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? ExtraInfoFields { get; init; }

    /// <summary>What the reader skipped or doubted (a record that cannot name files safely, a key written twice), each naming the file and the record.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Top-level keys other than the ones above (for example <c>signatures</c>), as raw JSON values.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? ExtraFields { get; init; }

    /// <summary>
    /// The installable records: every <c>.conda</c> record, and each <c>.tar.bz2</c> record whose <c>.conda</c>
    /// twin (same file name stem) is absent — conda prefers the <c>.conda</c> format.
    /// </summary>
    public IReadOnlyList<PackageRecord> Records() => PreferConda(TarBz2Packages, CondaPackages);

    /// <summary>
    /// The one twin rule, for repodata.json and shards alike: every <c>.conda</c> record, and each <c>.tar.bz2</c>
    /// record whose <c>.conda</c> twin (same file name stem) is absent; the <c>.conda</c> records first, then the kept
    /// <c>.tar.bz2</c> ones, each in the order given (the order in which libmamba reads a repodata.json).
    /// </summary>
    public static IReadOnlyList<PackageRecord> PreferConda(IReadOnlyList<PackageRecord> tarBz2, IReadOnlyList<PackageRecord> conda)
    {
        ArgumentNullException.ThrowIfNull(tarBz2);
        ArgumentNullException.ThrowIfNull(conda);
        if (conda.Count == 0)
        {
            return tarBz2;
        }

        var condaStems = new HashSet<string>(conda.Count, StringComparer.Ordinal);
        foreach (var record in conda)
        {
            condaStems.Add(PackageFileName.Stem(record.FileName));
        }

        var records = new List<PackageRecord>(tarBz2.Count + conda.Count);
        records.AddRange(conda);
        foreach (var record in tarBz2)
        {
            if (!condaStems.Contains(PackageFileName.Stem(record.FileName)))
            {
                records.Add(record);
            }
        }

        return records;
    }
}
