using System.Runtime.InteropServices;

namespace Krait.Packages.Bzip2;

/// <summary>
/// The system's libbz2, loaded at run time: its three decompression entry points as unmanaged function pointers (no
/// marshalling stubs, no reflection, so NativeAOT- and trimming-safe; the same approach as Krait.Conda's NativeProbes,
/// and unlike a DllImportResolver it claims nothing assembly-wide). Null when no libbz2 is found, as on Windows, which
/// ships none; callers then use the managed decoder.
/// </summary>
internal sealed unsafe class Libbz2
{
    // Return codes from bzlib.h.
    public const int Ok = 0;
    public const int StreamEnd = 4;
    public const int SequenceError = -1;
    public const int ParamError = -2;
    public const int MemError = -3;
    public const int DataError = -4;
    public const int DataErrorMagic = -5;

    /// <summary>The library, loaded once per process on first use; null when unavailable.</summary>
    public static Libbz2? Instance { get; } = Load();

    private Libbz2(string name, nint init, nint decompress, nint end, string? version)
    {
        Name = name;
        DecompressInit = (delegate* unmanaged<BzStream*, int, int, int>)init;
        Decompress = (delegate* unmanaged<BzStream*, int>)decompress;
        DecompressEnd = (delegate* unmanaged<BzStream*, int>)end;
        Version = version;
    }

    /// <summary>The file name it was loaded by.</summary>
    public string Name { get; }

    /// <summary>What BZ2_bzlibVersion says ("1.0.8, 13-Jul-2019"), when it has that export.</summary>
    public string? Version { get; }

    /// <summary><c>int BZ2_bzDecompressInit(bz_stream *strm, int verbosity, int small)</c>.</summary>
    public delegate* unmanaged<BzStream*, int, int, int> DecompressInit { get; }

    /// <summary><c>int BZ2_bzDecompress(bz_stream *strm)</c>.</summary>
    public delegate* unmanaged<BzStream*, int> Decompress { get; }

    /// <summary><c>int BZ2_bzDecompressEnd(bz_stream *strm)</c>.</summary>
    public delegate* unmanaged<BzStream*, int> DecompressEnd { get; }

    private static Libbz2? Load()
    {
        // Windows is left out on purpose: it has no system libbz2, and a stray DLL on PATH might not be cdecl.
        string[] candidates = OperatingSystem.IsMacOS() ? ["libbz2.1.0.dylib", "libbz2.dylib", "/usr/lib/libbz2.1.0.dylib"]
            : OperatingSystem.IsWindows() ? []
            : ["libbz2.so.1", "libbz2.so.1.0", "libbz2.so"];
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(library, "BZ2_bzDecompressInit", out var init)
                && NativeLibrary.TryGetExport(library, "BZ2_bzDecompress", out var decompress)
                && NativeLibrary.TryGetExport(library, "BZ2_bzDecompressEnd", out var end))
            {
                // Kept loaded for the life of the process: the function pointers point into it.
                return new Libbz2(name, init, decompress, end, ReadVersion(library));
            }

            NativeLibrary.Free(library);
        }

        return null;
    }

    private static string? ReadVersion(nint library)
    {
        if (!NativeLibrary.TryGetExport(library, "BZ2_bzlibVersion", out var function))
        {
            return null;
        }

        var version = ((delegate* unmanaged<byte*>)function)();
        return version is null ? null : Marshal.PtrToStringUTF8((nint)version);
    }
}
