using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>Every real package in ../shared/data, unpacked and written again in both formats, unpacks to the same files.</summary>
public sealed class PackageWriterRoundTripTests : IDisposable
{
    private readonly TempFolder scratch = new("roundtrip");

    /// <summary>The zlib .conda builds whose symlinks have empty targets: the extractor refuses them (see RealPackageTests).</summary>
    private static readonly string[] RefusedByTheExtractor =
    [
        "channels/zlib-formats/linux-64/zlib-1.2.11-h7b6447c_3.conda",
        "channels/zlib-formats/osx-64/zlib-1.2.11-h1de35cc_3.conda",
    ];

    public void Dispose() => scratch.Dispose();

    [Theory]
    [MemberData(nameof(RealPackageTests.Archives), MemberType = typeof(RealPackageTests))]
    public void Rewriting_a_real_package_keeps_every_file_link_and_mode(string relative)
    {
        if (RefusedByTheExtractor.Contains(relative.Replace('\\', '/')))
        {
            return;
        }

        var original = Path.Combine(scratch, "original");
        PackageExtractor.Extract(Path.Combine(RepoPaths.Data, relative), original);
        var expected = FileTree.Snapshot(original);
        var stem = PackageStem(relative);

        foreach (var extension in new[] { ".conda", ".tar.bz2" })
        {
            var archive = Path.Combine(scratch, "out" + extension.Replace('.', '-'), stem + extension);
            // A low zstd level keeps the run fast; the level changes the bytes, not what they unpack to.
            if (extension == ".conda")
            {
                PackageWriter.WriteConda(original, archive, zstdLevel: 3);
            }
            else
            {
                PackageWriter.WriteTarBz2(original, archive);
            }

            var again = Path.Combine(scratch, "again" + extension.Replace('.', '-'));
            PackageExtractor.Extract(archive, again);

            Assert.Equal(expected, FileTree.Snapshot(again));
            Assert.False(File.Exists(archive + ".partial"));
        }
    }

    private static string PackageStem(string relative)
    {
        var name = Path.GetFileName(relative);
        return name.EndsWith(".conda", StringComparison.Ordinal) ? name[..^".conda".Length] : name[..^".tar.bz2".Length];
    }
}
