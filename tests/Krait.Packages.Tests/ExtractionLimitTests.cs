using System.Text;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>
/// Decompression bombs are stopped by the ratio to the archive's size and by the sizes the package's own
/// <c>info/paths.json</c> declares, while real large packages still unpack; files are checked against paths.json as
/// they are written; and tar entry types packages never hold (GNU sparse files) are a clear refusal, not a crash.
/// </summary>
public sealed class ExtractionLimitTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private string Destination => Path.Combine(workspace.Root, "out", "pkg");

    private static string ArchiveOf(Krait.Conda.Records.PackageRecord record) => new Uri(record.Url!).LocalPath;

    [Fact]
    public void A_small_archive_that_unpacks_to_gigabytes_is_stopped_early()
    {
        // 100 MiB of zeros compress to a few hundred bytes: far beyond 1000 times the archive, and above the 64 MiB floor.
        var zeros = new byte[100 << 20];
        var record = workspace.Publish("bomb", "1.0", "0", [ArchiveEntry.File("share/zeros.bin", zeros)], extraInfo: [ArchiveEntry.File("info/paths.json", """{"paths": [], "paths_version": 1}""")]);

        var refused = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(ArchiveOf(record), Destination));

        Assert.Contains("a decompression bomb", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Destination));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(Destination)!));
    }

    [Fact]
    public void A_tar_bz2_bomb_is_stopped_by_the_same_ratio()
    {
        // Smaller, with a lower floor: compressing zeros to bzip2 in managed code is slow, and the bound is the same code.
        var zeros = new byte[3 << 20];
        var record = workspace.Publish("bomb", "1.0", "0", [ArchiveEntry.File("share/zeros.bin", zeros)], extension: ".tar.bz2", extraInfo: [ArchiveEntry.File("info/paths.json", """{"paths": [], "paths_version": 1}""")]);

        var refused = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(ArchiveOf(record), Destination, new ExtractionLimits(FloorBytes: 1 << 20)));

        Assert.Contains("a decompression bomb", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Destination));
    }

    [Fact]
    public void A_file_larger_than_paths_json_declares_is_refused_before_it_is_written()
    {
        var lie = """{"paths": [{"_path": "share/data.bin", "path_type": "hardlink", "size_in_bytes": 10}], "paths_version": 1}""";
        var record = workspace.Publish("liar", "1.0", "0", [ArchiveEntry.File("share/data.bin", new byte[4096])], extraInfo: [ArchiveEntry.File("info/paths.json", lie)]);

        var refused = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(ArchiveOf(record), Destination));

        Assert.Contains("is 4096 bytes, but the package's info/paths.json says 10", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_package_that_does_not_compress_still_unpacks()
    {
        // Incompressible data above the 64 MiB floor: the ratio is about 1, as for real large libraries.
        var noise = new byte[80 << 20];
        new Random(3).NextBytes(noise);
        var record = workspace.Publish("large", "1.0", "0", [ArchiveEntry.File("lib/liblarge.so", noise)]);

        var mismatches = PackageExtractor.Extract(ArchiveOf(record), Destination);

        Assert.Empty(mismatches);
        Assert.Equal(noise.Length, new FileInfo(Path.Combine(Destination, "lib", "liblarge.so")).Length);
    }

    [Fact]
    public void Files_are_compared_with_paths_json_as_they_are_unpacked()
    {
        var lie = """{"paths": [{"_path": "share/a.txt", "path_type": "hardlink", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size_in_bytes": 1}, {"_path": "share/gone.txt", "path_type": "hardlink"}], "paths_version": 1}""";
        var record = workspace.Publish("liar", "1.0", "0", [ArchiveEntry.File("share/a.txt", "a")], extraInfo: [ArchiveEntry.File("info/paths.json", lie)]);

        var mismatches = PackageExtractor.Extract(ArchiveOf(record), Destination);

        Assert.Equal(2, mismatches.Count);
        Assert.Contains(mismatches, m => m.StartsWith("share/a.txt: sha256 ca978112", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("share/gone.txt: listed in info/paths.json but not a file of the package", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gnu_sparse_member_is_refused_not_a_crash()
    {
        var archive = Path.Combine(workspace.Root, "sparse-1.0-0.tar.bz2");
        using (var file = File.Create(archive))
        using (var bzip2 = SharpCompress.Compressors.BZip2.BZip2Stream.Create(file, SharpCompress.Compressors.CompressionMode.Compress, decompressConcatenated: false, leaveOpen: false, tolerateTruncatedStream: false))
        {
            bzip2.Write(SparseTar());
        }

        var refused = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(archive, Destination));

        Assert.Contains("refusing package", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Destination));
    }

    /// <summary>A GNU tar with one sparse member (type 'S': 8 real bytes standing for 1 MiB), as GNU tar --sparse writes it.</summary>
    private static byte[] SparseTar()
    {
        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        string Octal(long value, int width) => Convert.ToString(value, 8).PadLeft(width - 1, '0') + "\0";
        Put(0, "lib/sparse.bin");
        Put(100, Octal(420, 8));
        Put(108, Octal(0, 8));
        Put(116, Octal(0, 8));
        Put(124, Octal(8, 12));
        Put(136, Octal(0, 12));
        header[156] = (byte)'S';
        Put(257, "ustar ");
        Put(263, " \0");
        Put(386, Octal(0, 12));
        Put(398, Octal(8, 12));
        Put(483, Octal(1 << 20, 12));
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var sum = header.Sum(b => (int)b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        var data = new byte[512];
        Encoding.ASCII.GetBytes("12345678").CopyTo(data, 0);
        return [.. header, .. data, .. new byte[1024]];
    }
}
