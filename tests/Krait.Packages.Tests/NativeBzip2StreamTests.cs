using Krait.Packages.Bzip2;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>The libbz2 decoder decodes what the managed one does, byte for byte, and refuses what is damaged.</summary>
public sealed class NativeBzip2StreamTests
{
    public static TheoryData<string> RealTarBz2() =>
        [.. Directory.EnumerateFiles(RepoPaths.Data, "*.tar.bz2", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Data, f))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(RealTarBz2))]
    public void Real_packages_decode_to_the_same_bytes_as_with_the_managed_decoder(string relative)
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var compressed = File.ReadAllBytes(Path.Combine(RepoPaths.Data, relative));
        var managed = Bzip2Samples.DecodeManaged(compressed);
        Assert.NotEmpty(managed);
        Assert.Equal(managed, Bzip2Samples.DecodeNative(compressed));
    }

    [Fact]
    public void The_factory_picks_libbz2_where_it_loads()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            Assert.Equal("SharpCompress (managed)", Bzip2Decoder.Description);
            return;
        }

        using var stream = Bzip2Decoder.Open(new MemoryStream(Bzip2Samples.Compress("x"u8)));
        Assert.IsType<NativeBzip2Stream>(stream);
        Assert.StartsWith("libbz2 1.", Bzip2Decoder.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Any_read_size_gives_the_same_bytes(int readSize)
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var data = Bzip2Samples.Mixed(seed: readSize, length: readSize == 1 ? 50_000 : 400_000);
        var compressed = Bzip2Samples.Compress(data);
        Assert.Equal(data, Bzip2Samples.DecodeNative(compressed, readSize));
    }

    [Fact]
    public void Concatenated_streams_decode_whole()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        // Two streams bigger than the decoder's 64 kB input reads (the boundary falls mid-read), then many tiny ones
        // (several boundaries in one read).
        var parts = new List<byte[]> { Bzip2Samples.Mixed(1, 300_000), Bzip2Samples.Mixed(2, 200_000) };
        parts.AddRange(Enumerable.Range(0, 40).Select(i => Bzip2Samples.Mixed(100 + i, 50 + i)));
        var compressed = parts.SelectMany(p => Bzip2Samples.Compress(p)).ToArray();
        var expected = parts.SelectMany(p => p).ToArray();

        using var stream = new NativeBzip2Stream(new MemoryStream(compressed));
        Assert.Equal(expected, Bzip2Samples.ReadAll(stream, 1 << 16));
        Assert.Equal(parts.Count, stream.StreamsDecoded);
        Assert.Equal(expected, Bzip2Samples.DecodeManaged(compressed));
    }

    [Fact]
    public void Truncated_data_is_invalid_wherever_it_is_cut()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var compressed = Bzip2Samples.Compress(Bzip2Samples.Mixed(3, 300_000));
        foreach (var length in new[] { 3, 4, 10, 100, 70_000, compressed.Length / 2, compressed.Length - 1 })
        {
            var error = Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative(compressed[..length]));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_second_stream_cut_short_is_invalid_too()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var second = Bzip2Samples.Compress(Bzip2Samples.Mixed(5, 10_000));
        var compressed = Bzip2Samples.Compress("first"u8).Concat(second[..(second.Length / 2)]).ToArray();
        Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative(compressed));
    }

    [Fact]
    public void Bytes_after_the_last_stream_are_refused_as_by_the_managed_decoder()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        foreach (var trailer in new[] { "garbage"u8.ToArray(), new byte[16] })
        {
            var compressed = Bzip2Samples.Compress("payload"u8).Concat(trailer).ToArray();
            var error = Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative(compressed));
            Assert.Contains("after bzip2 stream 1", error.Message, StringComparison.Ordinal);
            Assert.ThrowsAny<Exception>(() => Bzip2Samples.DecodeManaged(compressed));
        }
    }

    [Fact]
    public void A_corrupted_byte_is_invalid()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var compressed = Bzip2Samples.Compress(Bzip2Samples.Mixed(4, 100_000));
        foreach (var position in new[] { 20, 1_000, compressed.Length / 2, compressed.Length - 3 })
        {
            var damaged = (byte[])compressed.Clone();
            damaged[position] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative(damaged));
        }
    }

    [Fact]
    public void Data_that_is_not_bzip2_is_invalid()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var error = Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative("PK\u0003\u0004 not bzip2 at all"u8.ToArray()));
        Assert.Contains("not bzip2", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Bzip2Samples.DecodeNative([]));
    }

    [Fact]
    public void Leave_open_is_honoured_and_a_disposed_stream_refuses_reads()
    {
        if (!Bzip2Samples.NativeIsAvailable())
        {
            return;
        }

        var compressed = new MemoryStream(Bzip2Samples.Compress("x"u8));
        var stream = new NativeBzip2Stream(compressed, leaveOpen: true);
        Assert.Equal('x', stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
        stream.Dispose();
        Assert.True(compressed.CanRead);
        Assert.False(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());

        using (new NativeBzip2Stream(compressed))
        {
        }

        Assert.False(compressed.CanRead);
    }
}
