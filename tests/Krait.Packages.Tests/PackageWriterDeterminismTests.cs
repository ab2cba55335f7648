using System.IO.Compression;
using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>The same package folder always gives the same archive bytes, whoever writes it and whenever.</summary>
public sealed class PackageWriterDeterminismTests : IDisposable
{
    private readonly TempFolder scratch = new("determinism");

    public void Dispose() => scratch.Dispose();

    private static PackageBuilder Sample()
    {
        var builder = new PackageBuilder("demo", "1.0", "h0_0") { Subdir = "linux-64", Timestamp = 1_700_000_000_000, License = "MIT" };
        builder.Depends.Add("libzlib >=1.2");
        builder.Add(PackageFile.Text("share/demo/README", "hello\n"))
            .Add(PackageFile.Text("bin/demo", "#!/bin/sh\necho demo\n", executable: true))
            .Add(PackageFile.Text("etc/demo.conf", $"prefix={PackageBuilder.PrefixPlaceholder}\n"))
            .Add(PackageFile.Symlink("lib/libdemo.so", "libdemo.so.1"))
            .Add(PackageFile.Binary("lib/libdemo.so.1", [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 1, 2]));
        return builder;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Theory]
    [InlineData(".conda")]
    [InlineData(".tar.bz2")]
    public void Writing_the_same_folder_twice_gives_identical_bytes(string extension)
    {
        var layout = Path.Combine(scratch, "layout");
        Sample().WriteLayout(layout);
        var first = Path.Combine(scratch, "a", "demo-1.0-h0_0" + extension);
        var second = Path.Combine(scratch, "b", "demo-1.0-h0_0" + extension);

        PackageWriter.Write(layout, first);
        File.SetLastWriteTimeUtc(Path.Combine(layout, "share", "demo", "README"), DateTime.UtcNow.AddDays(-3));
        PackageWriter.Write(layout, second);

        Assert.Equal(Sha256(first), Sha256(second));
    }

    [Theory]
    [InlineData(".conda")]
    [InlineData(".tar.bz2")]
    public void Building_the_same_description_twice_gives_identical_bytes(string extension)
    {
        var first = Sample().WriteTo(Path.Combine(scratch, "one"), extension);
        var second = Sample().WriteTo(Path.Combine(scratch, "two"), extension);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.Md5, second.Md5);
        Assert.Equal(first.Size, second.Size);
    }

    [Fact]
    public void A_conda_archive_is_a_stored_zip_of_metadata_pkg_and_info()
    {
        var built = Sample().WriteTo(scratch, ".conda");

        using var zip = ZipFile.OpenRead(built.Path);
        Assert.Equal(["metadata.json", "pkg-demo-1.0-h0_0.tar.zst", "info-demo-1.0-h0_0.tar.zst"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        using var metadata = new StreamReader(zip.GetEntry("metadata.json")!.Open());
        Assert.Equal("""{"conda_pkg_format_version": 2}""", metadata.ReadToEnd());
    }

    [Fact]
    public void A_real_package_rewritten_twice_is_byte_identical()
    {
        var extracted = Path.Combine(scratch, "zlib");
        PackageExtractor.Extract(Path.Combine(RepoPaths.Channel("zlib-formats"), "linux-64", "zlib-1.2.11-h7b6447c_3.tar.bz2"), extracted);

        var first = Path.Combine(scratch, "1", "zlib-1.2.11-h7b6447c_3" + PackageFileName.CondaExtension);
        var second = Path.Combine(scratch, "2", "zlib-1.2.11-h7b6447c_3" + PackageFileName.CondaExtension);
        PackageWriter.WriteConda(extracted, first, zstdLevel: 3);
        PackageWriter.WriteConda(extracted, second, zstdLevel: 3);

        Assert.Equal(Sha256(first), Sha256(second));
    }
}
