using System.Runtime.InteropServices;

namespace Krait.Packages.Bzip2;

/// <summary>
/// libbz2's <c>bz_stream</c>, field for field. Sequential layout with <c>nint</c> for pointers and <c>uint</c> for C's
/// <c>unsigned int</c> gives the C ABI's offsets and padding on every platform (on 64-bit, 4 bytes of padding after
/// each <c>total_*_hi32</c>; on 32-bit, none).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BzStream
{
    public nint NextIn;
    public uint AvailIn;
    public uint TotalInLo32;
    public uint TotalInHi32;

    public nint NextOut;
    public uint AvailOut;
    public uint TotalOutLo32;
    public uint TotalOutHi32;

    /// <summary>The decoder's private state; libbz2 keeps a pointer back to this struct in it, so the struct must not move.</summary>
    public nint State;

    /// <summary>Allocator hooks; zero asks libbz2 for malloc/free.</summary>
    public nint BzAlloc;
    public nint BzFree;
    public nint Opaque;
}
