namespace Krait.Conda.Records;

/// <summary>
/// conda's rule for record timestamps, written in seconds by old indexers and in milliseconds by new ones: a value
/// before the last second of the year 9999 is seconds. Records hold milliseconds.
/// </summary>
public static class RecordTimestamps
{
    public const long LastSecondOfYear9999 = 253402300799;

    /// <summary>The last millisecond of the year 9999: a later timestamp is no date.</summary>
    public const long MaxMilliseconds = (LastSecondOfYear9999 * 1000) + 999;

    public static long? ToMilliseconds(long? raw) => raw is { } t && t is >= 0 and < LastSecondOfYear9999 ? t * 1000 : raw;

    /// <summary>
    /// The number to write for <paramref name="milliseconds"/> so that <see cref="ToMilliseconds"/> reads it back:
    /// milliseconds, except a value small enough to be read as seconds, which is written in the seconds it came as.
    /// </summary>
    public static long AsWritten(long milliseconds) =>
        milliseconds is >= 0 and < LastSecondOfYear9999 && milliseconds % 1000 == 0 ? milliseconds / 1000 : milliseconds;
}
