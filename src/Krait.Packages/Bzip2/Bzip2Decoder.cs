using SharpCompress.Compressors.BZip2;
using CompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Krait.Packages.Bzip2;

/// <summary>
/// Picks the bzip2 decoder for <c>.tar.bz2</c> packages: the system's libbz2 (<see cref="NativeBzip2Stream"/>) where it
/// loads, SharpCompress's managed <c>BZip2Stream</c> elsewhere (Windows ships no libbz2). Both read concatenated streams
/// and refuse truncated data.
/// </summary>
public static class Bzip2Decoder
{
    /// <summary>Whether <see cref="Open"/> returns the libbz2 decoder on this machine.</summary>
    public static bool IsNative => Libbz2.Instance is not null;

    /// <summary>Which decoder <see cref="Open"/> uses, for benchmarks and diagnostics: "libbz2 1.0.8 (libbz2.so.1)" or "SharpCompress (managed)".</summary>
    public static string Description => Libbz2.Instance is { } library
        ? $"libbz2 {library.Version?.Split(',')[0] ?? "(unknown version)"} ({library.Name})"
        : "SharpCompress (managed)";

    /// <summary>A stream of the decompressed bytes of <paramref name="compressed"/>, which it disposes unless <paramref name="leaveOpen"/>.</summary>
    public static Stream Open(Stream compressed, bool leaveOpen = false) =>
        IsNative ? new NativeBzip2Stream(compressed, leaveOpen) : OpenManaged(compressed, leaveOpen);

    /// <summary>SharpCompress's managed decoder, whatever the platform: the fallback, and the reference the tests compare with.</summary>
    public static Stream OpenManaged(Stream compressed, bool leaveOpen = false) =>
        BZip2Stream.Create(compressed, CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: leaveOpen, tolerateTruncatedStream: false);
}
