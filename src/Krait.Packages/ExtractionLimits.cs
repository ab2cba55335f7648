namespace Krait.Packages;

/// <summary>
/// Bounds on what one package may unpack to, against decompression bombs. The defaults are far above real packages
/// (the largest conda packages unpack to a few GiB) and far below what would fill a disk by surprise.
/// </summary>
public sealed record ExtractionLimits(long MaxTotalBytes = 32L << 30, long MaxEntryBytes = 16L << 30, int MaxEntries = 2_000_000)
{
    public static ExtractionLimits Default { get; } = new();
}
