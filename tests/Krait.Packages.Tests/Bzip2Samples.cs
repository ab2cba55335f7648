using Krait.Packages.Bzip2;
using SharpCompress.Compressors.BZip2;
using CompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Krait.Packages.Tests;

/// <summary>bzip2 data for the decoder tests, compressed with SharpCompress's encoder (no bzip2 binary needed).</summary>
internal static class Bzip2Samples
{
    /// <summary>
    /// Whether the native decoder exists: Krait has none on Windows (no system libbz2). Elsewhere a libbz2 that does not
    /// load fails the test instead of letting it pass without testing anything.
    /// </summary>
    public static bool NativeIsAvailable()
    {
        if (Bzip2Decoder.IsNative)
        {
            return true;
        }

        Assert.True(OperatingSystem.IsWindows(), "libbz2 could not be loaded, so the native bzip2 decoder is untested (apt-get install libbz2-1.0)");
        return false;
    }

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var bzip2 = BZip2Stream.Create(buffer, CompressionMode.Compress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false))
        {
            bzip2.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>Text that compresses well, then bytes that do not, so the compressed form spans several of the decoder's input reads.</summary>
    public static byte[] Mixed(int seed, int length)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < length / 2; i++)
        {
            bytes[i] = (byte)"abcabd efg\n"[random.Next(11)];
        }

        random.NextBytes(bytes.AsSpan(length / 2));
        return bytes;
    }

    public static byte[] DecodeNative(byte[] compressed, int readSize = 1 << 16)
    {
        using var stream = new NativeBzip2Stream(new MemoryStream(compressed));
        return ReadAll(stream, readSize);
    }

    public static byte[] DecodeManaged(byte[] compressed)
    {
        using var stream = Bzip2Decoder.OpenManaged(new MemoryStream(compressed));
        return ReadAll(stream, 1 << 16);
    }

    /// <summary>Reads to the end in reads of <paramref name="readSize"/> bytes, so small reads can exercise a full output buffer at every point.</summary>
    public static byte[] ReadAll(Stream stream, int readSize)
    {
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}
