namespace Krait.Packages;

/// <summary>
/// Bounds on what one package may unpack to, against decompression bombs. A package may unpack to at most
/// <see cref="MaxRatio"/> times its archive's size (but always <see cref="FloorBytes"/>, so tiny packages of text are
/// never refused) and never more than <see cref="MaxTotalBytes"/>; a file may not be larger than the package's own
/// <c>info/paths.json</c> says it is. Real packages stay far inside: zstd and bzip2 reach 10:1 on text and 3:1 on
/// binaries, so a 3 GB CUDA library arrives as a 1 GB archive; a bomb is thousands to one.
/// </summary>
public sealed record ExtractionLimits(
    long MaxTotalBytes = 32L << 30,
    long MaxEntryBytes = 16L << 30,
    int MaxEntries = 2_000_000,
    int MaxRatio = 1000,
    long FloorBytes = 64L << 20)
{
    public static ExtractionLimits Default { get; } = new();

    /// <summary>The most an archive of <paramref name="archiveBytes"/> may unpack to.</summary>
    public long TotalBudget(long archiveBytes)
    {
        var byRatio = archiveBytes > long.MaxValue / Math.Max(MaxRatio, 1) ? long.MaxValue : archiveBytes * MaxRatio;
        return Math.Min(MaxTotalBytes, Math.Max(FloorBytes, byRatio));
    }
}
