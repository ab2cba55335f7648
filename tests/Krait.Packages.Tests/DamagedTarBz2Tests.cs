using System.Formats.Tar;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>Through the extractor, whichever bzip2 decoder it picked: damage is a HostileArchiveException and leaves nothing behind.</summary>
public sealed class DamagedTarBz2Tests : IDisposable
{
    private readonly TempFolder scratch = new("bz2");

    public DamagedTarBz2Tests() => Directory.CreateDirectory(scratch);

    public void Dispose() => scratch.Dispose();

    private static byte[] TarBz2()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "info/index.json") { DataStream = new MemoryStream("""{"name": "x", "version": "1", "build": "0"}"""u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "lib/data.bin") { DataStream = new MemoryStream(Bzip2Samples.Mixed(7, 200_000)) });
        }

        return Bzip2Samples.Compress(tar.ToArray());
    }

    public static TheoryData<string> Damages() => ["truncated", "flipped byte", "not bzip2"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void Damage_is_refused_as_hostile(string damage)
    {
        var bytes = TarBz2();
        switch (damage)
        {
            case "truncated":
                bytes = bytes[..(bytes.Length - 40)];
                break;
            case "flipped byte":
                bytes[bytes.Length / 3] ^= 0x01;
                break;
            default:
                bytes[0] = (byte)'X';
                break;
        }

        var archive = Path.Combine(scratch, "x-1-0.tar.bz2");
        File.WriteAllBytes(archive, bytes);
        var destination = Path.Combine(scratch, "out", "pkg");
        var error = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(archive, destination));
        Assert.Contains("is damaged", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(scratch, "out")));
    }

    [Fact]
    public void An_intact_archive_extracts()
    {
        var archive = Path.Combine(scratch, "x-1-0.tar.bz2");
        File.WriteAllBytes(archive, TarBz2());
        PackageExtractor.Extract(archive, Path.Combine(scratch, "ok"));
        Assert.Equal(Bzip2Samples.Mixed(7, 200_000), File.ReadAllBytes(Path.Combine(scratch, "ok", "lib", "data.bin")));
    }
}
