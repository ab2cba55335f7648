using System.Formats.Tar;
using System.IO.Compression;
using Krait.Files;
using Krait.TestSupport;
using ZstdSharp;
using CompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Krait.Packages.Tests;

/// <summary>Archives built to attack the extractor: each is refused, and nothing is left behind or written outside.</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly TempFolder scratch = new("hostile");

    public HostileArchiveTests() => Directory.CreateDirectory(scratch);

    public void Dispose() => scratch.Dispose();

    private sealed record Entry(string Name, TarEntryType Type = TarEntryType.RegularFile, byte[]? Content = null, string? Link = null);

    private static byte[] Tar(IEnumerable<Entry> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var tarEntry = new PaxTarEntry(entry.Type, entry.Name);
                if (entry.Link is not null)
                {
                    tarEntry.LinkName = entry.Link;
                }

                if (entry.Content is not null)
                {
                    tarEntry.DataStream = new MemoryStream(entry.Content);
                }

                writer.WriteEntry(tarEntry);
            }
        }

        return buffer.ToArray();
    }

    private static readonly Entry IndexJson = new("info/index.json", Content: """{"name": "evil", "version": "1", "build": "0"}"""u8.ToArray());

    private string TarBz2(params Entry[] entries)
    {
        var path = Path.Combine(scratch, $"evil-{Guid.NewGuid():N}.tar.bz2");
        using var file = File.Create(path);
        using var bzip2 = SharpCompress.Compressors.BZip2.BZip2Stream.Create(file, CompressionMode.Compress, decompressConcatenated: false, leaveOpen: false, tolerateTruncatedStream: false);
        bzip2.Write(Tar([IndexJson, .. entries]));
        return path;
    }

    private string Conda(params Entry[] entries)
    {
        var path = Path.Combine(scratch, $"evil-{Guid.NewGuid():N}.conda");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in new[] { ("info-evil-1-0.tar.zst", Tar([IndexJson])), ("pkg-evil-1-0.tar.zst", Tar(entries)) })
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            using var zstd = new CompressionStream(stream, level: 3, bufferSize: 0, leaveOpen: false);
            zstd.Write(content);
        }

        return path;
    }

    public static TheoryData<string, string> Attacks() => new()
    {
        { "dotdot", "climbs out of the package" },
        { "absolute", "has an absolute path" },
        { "symlink-out", "which leaves the package" },
        { "symlink-absolute", "links must be relative" },
        { "through-symlink", "would be written through the symlink" },
        { "device", "CharacterDevice entry" },
        { "fifo", "Fifo entry" },
        { "hardlink-out", "climbs out of the package" },
        { "backslash", "backslash" },
    };

    private static Entry[] Attack(string kind) => kind switch
    {
        "dotdot" => [new("lib/../../escaped.txt", Content: "x"u8.ToArray())],
        "absolute" => [new("/tmp/krait-escaped.txt", Content: "x"u8.ToArray())],
        "symlink-out" => [new("lib/link", TarEntryType.SymbolicLink, Link: "../../../etc")],
        "symlink-absolute" => [new("lib/link", TarEntryType.SymbolicLink, Link: "/etc/passwd")],
        "through-symlink" => [new("lib", TarEntryType.Directory), new("share", TarEntryType.SymbolicLink, Link: "lib"), new("share/file", Content: "x"u8.ToArray())],
        "device" => [new("dev/null", TarEntryType.CharacterDevice)],
        "fifo" => [new("pipe", TarEntryType.Fifo)],
        "hardlink-out" => [new("lib/hard", TarEntryType.HardLink, Link: "../../etc/passwd")],
        "backslash" => [new("lib\\..\\..\\evil", Content: "x"u8.ToArray())],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Refuses_in_both_formats_and_leaves_nothing(string kind, string reason)
    {
        foreach (var archive in new[] { TarBz2(Attack(kind)), Conda(Attack(kind)) })
        {
            var destination = Path.Combine(scratch, "out", "pkg");
            var error = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(archive, destination));
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(archive), error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(destination), "the destination must not exist after a refusal");
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(scratch, "out")));
            Assert.False(File.Exists(Path.Combine(scratch, "escaped.txt")));
            Assert.False(File.Exists("/tmp/krait-escaped.txt"));
        }
    }

    [Fact]
    public void A_decompression_bomb_stops_at_the_limit()
    {
        var zeros = new byte[8 << 20];
        foreach (var archive in new[] { TarBz2(new Entry("big", Content: zeros)), Conda(new Entry("big", Content: zeros)) })
        {
            Assert.True(new FileInfo(archive).Length < 100_000, "the bomb should be small on disk");
            var destination = Path.Combine(scratch, "bomb");
            var error = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(archive, destination, new ExtractionLimits(MaxTotalBytes: 1 << 20)));
            Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(destination));
        }
    }

    [Fact]
    public void A_safe_archive_with_links_inside_extracts_with_modes()
    {
        var archive = TarBz2(
            new Entry("./bin/tool", Content: "#!/bin/sh\necho hi\n"u8.ToArray()),
            new Entry("lib/libx.so.1", Content: "elf"u8.ToArray()),
            new Entry("lib/libx.so", TarEntryType.SymbolicLink, Link: "libx.so.1"),
            new Entry("lib/copy", TarEntryType.HardLink, Link: "lib/libx.so.1"));
        var destination = Path.Combine(scratch, "ok");
        PackageExtractor.Extract(archive, destination);
        Assert.Equal("libx.so.1", new FileInfo(Path.Combine(destination, "lib", "libx.so")).LinkTarget);
        Assert.Equal("elf", File.ReadAllText(Path.Combine(destination, "lib", "copy")));
        Assert.Equal("elf", File.ReadAllText(Path.Combine(destination, "lib", "libx.so")));
    }

    [Fact]
    public void Damaged_and_unknown_archives_are_refused()
    {
        var archive = TarBz2(new Entry("file", Content: new byte[100_000]));
        var truncated = Path.Combine(scratch, "truncated.tar.bz2");
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var damaged = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(truncated, Path.Combine(scratch, "t")));
        Assert.Contains("truncated.tar.bz2", damaged.Message, StringComparison.Ordinal);

        var zip = Path.Combine(scratch, "fake.conda");
        File.WriteAllText(zip, "not a zip");
        Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(zip, Path.Combine(scratch, "z")));

        var other = Path.Combine(scratch, "package.zip");
        File.WriteAllText(other, "x");
        var unknown = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(other, Path.Combine(scratch, "u")));
        Assert.Contains("neither a .conda nor a .tar.bz2", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verification_catches_a_wrong_size_or_hash()
    {
        var archive = TarBz2(new Entry("file", Content: "x"u8.ToArray()));
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(archive)));
        var record = new Krait.Conda.Records.PackageRecord { Name = "evil", Version = "1", Build = "0", FileName = Path.GetFileName(archive), Sha256 = sha256, Size = new FileInfo(archive).Length };
        PackageVerifier.Verify(archive, record);

        var wrongHash = Assert.Throws<DigestMismatchException>(() => PackageVerifier.Verify(archive, new Krait.Conda.Records.PackageRecord { Name = "evil", Version = "1", Build = "0", FileName = "x", Sha256 = new string('0', 64) }));
        Assert.Contains("has sha256", wrongHash.Message, StringComparison.Ordinal);
        var wrongSize = Assert.Throws<DigestMismatchException>(() => PackageVerifier.Verify(archive, new Krait.Conda.Records.PackageRecord { Name = "evil", Version = "1", Build = "0", FileName = "x", Size = 1 }));
        Assert.Contains("not the 1 the channel lists", wrongSize.Message, StringComparison.Ordinal);
    }
}
