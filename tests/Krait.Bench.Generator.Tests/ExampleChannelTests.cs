using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Packages;
using Krait.Repodata.Parsing;
using Krait.TestSupport;

namespace Krait.Bench.Generator.Tests;

/// <summary>The committed examples/channel is exactly what the generator makes, and every record names a real archive that matches it.</summary>
public sealed class ExampleChannelTests(GeneratedExampleChannel generated) : IClassFixture<GeneratedExampleChannel>, IDisposable
{
    private static readonly string Committed = Path.Combine(RepoPaths.Root, "examples", "channel");

    private readonly TempFolder scratch = new("example-x");

    public void Dispose() => scratch.Dispose();

    /// <summary>Every file of a channel folder with its sha256: repodata and archives alike.</summary>
    private static SortedDictionary<string, string> Listing(string channel) => new(
        Directory.EnumerateFiles(channel, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(channel, f).Replace('\\', '/'),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    private static List<PackageRecord> Records(string channel) =>
        [.. new[] { "linux-64", "noarch" }.SelectMany(s => RepodataParser.ParseFile(Path.Combine(channel, s, "repodata.json"), s).Records())];

    [Fact]
    public void The_committed_example_channel_is_what_the_generator_makes()
    {
        var expected = Listing(generated.Root);
        var actual = Listing(Committed);

        var stale = expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k)).ToList();
        Assert.True(stale.Count == 0, $"examples/channel is stale ({string.Join(", ", stale.Take(5))}…): run ./examples/regenerate.sh");

        var numpy = Records(Committed).Where(r => r.Name == "numpy").ToList();
        Assert.Contains(numpy, r => r.ParsedVersion >= Version.Parse("1.20"));
    }

    [Fact]
    public void Every_record_has_an_archive_with_its_size_and_hashes_and_the_whole_channel_stays_small()
    {
        var records = Records(generated.Root);
        Assert.True(records.Count > 200, $"{records.Count} records");
        foreach (var record in records)
        {
            var archive = Path.Combine(generated.Root, record.Subdir!, record.FileName);
            Assert.True(File.Exists(archive), $"{record.FileName} is missing");
            PackageVerifier.Verify(archive, record);
            Assert.Equal(32, record.Md5!.Length);
        }

        var total = Directory.EnumerateFiles(generated.Root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(total < 3_000_000, $"the example channel is {total} bytes");
    }

    [Fact]
    public void Archives_unpack_to_metadata_that_agrees_with_repodata_and_show_prefix_links_and_noarch_python()
    {
        var records = Records(generated.Root);
        var samples = new[]
        {
            records.First(r => r.Name == "zlib"),
            records.First(r => r.Name == "python" && r.FileName.EndsWith(".conda", StringComparison.Ordinal)),
            records.First(r => r.Name == "numpy"),
            records.First(r => r.NoArch == NoArchType.Python),
            records.First(r => r.TrackFeatures == "blas_mkl"),
        };
        foreach (var record in samples)
        {
            var extracted = Path.Combine(scratch, record.FileName);
            PackageExtractor.Extract(Path.Combine(generated.Root, record.Subdir!, record.FileName), extracted);
            var index = PackageIndex.Complete(new PackageRecord { Name = record.Name, Version = record.Version, Build = record.Build, FileName = record.FileName }, extracted);

            Assert.Equal(record.Depends, index.Depends);
            Assert.Equal(record.Constrains, index.Constrains);
            Assert.Equal(record.NoArch, index.NoArch);
            Assert.Equal(record.Subdir, index.Subdir);
            Assert.Equal(record.Timestamp, index.Timestamp);
            Assert.Equal(record.TrackFeatures, index.TrackFeatures);
            Assert.True(File.Exists(Path.Combine(extracted, "share", record.Name, "README")));
        }

        var zlib = PathsJson.Read(Path.Combine(scratch, samples[0].FileName))!;
        Assert.Contains(zlib.Paths, p => p.Path == "etc/zlib.conf" && p.PrefixPlaceholder == PackageBuilder.PrefixPlaceholder && p.FileMode == "text");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(Path.Combine(scratch, samples[0].FileName, "bin", "zlib")) & UnixFileMode.UserExecute) != 0);
        }

        var minor = samples[1].Version[..samples[1].Version.LastIndexOf('.')];
        Assert.Equal("python" + minor, new FileInfo(Path.Combine(scratch, samples[1].FileName, "bin", "python")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(scratch, samples[3].FileName, "site-packages", samples[3].Name.Replace('-', '_'), "__init__.py")));
    }
}
