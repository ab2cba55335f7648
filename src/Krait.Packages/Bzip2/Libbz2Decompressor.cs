using System.Runtime.InteropServices;

namespace Krait.Packages.Bzip2;

/// <summary>
/// One libbz2 decompression state: a <see cref="BzStream"/> in native memory (libbz2 keeps a pointer back to it, so it
/// must never move, which a managed object could) plus the decoder state BZ2_bzDecompressInit hangs off it. A
/// SafeHandle, so that the state is freed even when a stream is abandoned without Dispose.
/// </summary>
internal sealed unsafe class Libbz2Decompressor : SafeHandle
{
    private readonly Libbz2 library;

    private Libbz2Decompressor(Libbz2 library)
        : base(0, ownsHandle: true) => this.library = library;

    public override bool IsInvalid => handle == 0;

    private BzStream* Stream => (BzStream*)handle;

    public static Libbz2Decompressor Create(Libbz2 library)
    {
        var decompressor = new Libbz2Decompressor(library);
        decompressor.SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(BzStream)));
        try
        {
            decompressor.Init();
        }
        catch
        {
            decompressor.Dispose();
            throw;
        }

        return decompressor;
    }

    /// <summary>
    /// Decodes from <paramref name="input"/> into <paramref name="output"/> as far as either allows; returns libbz2's
    /// code with how much of each it used. Both spans are pinned only for the call, and libbz2 is left holding no
    /// pointer into them.
    /// </summary>
    public int Decompress(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        var stream = Stream;
        fixed (byte* nextIn = input)
        fixed (byte* nextOut = output)
        {
            stream->NextIn = (nint)nextIn;
            stream->AvailIn = (uint)input.Length;
            stream->NextOut = (nint)nextOut;
            stream->AvailOut = (uint)output.Length;
            var code = library.Decompress(stream);
            consumed = input.Length - (int)stream->AvailIn;
            written = output.Length - (int)stream->AvailOut;
            stream->NextIn = 0;
            stream->NextOut = 0;
            stream->AvailIn = 0;
            stream->AvailOut = 0;
            return code;
        }
    }

    /// <summary>Starts over for the next stream of a concatenated file (a state that has seen its end-of-stream marker accepts no more input).</summary>
    public void Restart()
    {
        End();
        Init();
    }

    protected override bool ReleaseHandle()
    {
        End();
        NativeMemory.Free((void*)handle);
        return true;
    }

    private void Init()
    {
        *Stream = default; // zero allocator hooks: libbz2 uses malloc/free
        var code = library.DecompressInit(Stream, 0, 0); // verbosity 0; small 0: the fast decoder (up to ~3.6 MB for 900k blocks)
        if (code == Libbz2.MemError)
        {
            throw new InsufficientMemoryException("libbz2 could not allocate its decoder state");
        }

        if (code != Libbz2.Ok)
        {
            throw new InvalidOperationException($"BZ2_bzDecompressInit failed with code {code}");
        }
    }

    private void End()
    {
        // A state that never initialised, or was already ended, has no State; libbz2 would refuse it anyway.
        if (Stream->State != 0)
        {
            library.DecompressEnd(Stream);
            Stream->State = 0;
        }
    }
}
