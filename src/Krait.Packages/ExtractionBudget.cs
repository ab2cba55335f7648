namespace Krait.Packages;

/// <summary>What one package may still unpack, shared by the inner tarballs of a <c>.conda</c>: bytes, entries and, once <c>info/paths.json</c> is out, each file's declared size.</summary>
internal sealed class ExtractionBudget(string archive, ExtractionLimits limits, long archiveBytes)
{
    private readonly long total = limits.TotalBudget(archiveBytes);
    private long spent;
    private int entries;

    public ExtractionLimits Limits => limits;

    /// <summary>Declared sizes of the package's files by path, once <c>info/paths.json</c> has been unpacked (it comes first in well-made archives).</summary>
    public Dictionary<string, long>? DeclaredSizes { get; set; }

    public long Remaining => total - spent;

    public void Spend(long bytes) => spent += bytes;

    public void CountEntry()
    {
        if (++entries > limits.MaxEntries)
        {
            throw new HostileArchiveException(archive, null, $"has more than {limits.MaxEntries} entries");
        }
    }

    /// <summary>Refuses a file larger than the per-file limit or than the size <c>info/paths.json</c> gives it.</summary>
    public void CheckFile(string entryName, string relative, long length)
    {
        if (length > limits.MaxEntryBytes)
        {
            throw new HostileArchiveException(archive, entryName, $"is {length} bytes, above the {limits.MaxEntryBytes}-byte limit per file");
        }

        if (DeclaredSizes is not null && DeclaredSizes.TryGetValue(relative, out var declared) && length > declared)
        {
            throw new HostileArchiveException(archive, entryName, $"is {length} bytes, but the package's info/paths.json says {declared}: refusing to unpack more than a package declares (a decompression bomb?)");
        }
    }

    public HostileArchiveException Exceeded() => new(
        archive,
        null,
        $"unpacks to more than {total} bytes ({limits.MaxRatio} times its {archiveBytes}-byte archive, at least {limits.FloorBytes}, at most {limits.MaxTotalBytes}): a decompression bomb?");
}
