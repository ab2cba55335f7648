using Krait.Conda.Lockfiles;
using Krait.Conda.Parsing;
using Krait.Conda.VirtualPackages;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Lockfiles;

/// <summary>Krait's conda-lock.yml writer, read back by Krait's reader: every real conda-lock file survives the round trip.</summary>
public sealed class CondaLockWriterTests
{
    private static readonly string CondaLockFiles = Path.Combine(RepoPaths.Data, "lockfiles", "conda-lock");

    public static TheoryData<string> EveryCondaLockFile() =>
        [.. Directory.EnumerateFiles(CondaLockFiles, "*.yml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EveryCondaLockFile))]
    public void A_real_conda_lock_file_written_again_reads_back_the_same(string file)
    {
        var original = LockFile.Parse(File.ReadAllText(Path.Combine(CondaLockFiles, file)), file);
        var written = CondaLockWriter.Write(original, ["environment.yml"]);
        var again = LockFile.Parse(written, "written");

        Assert.Equal(original.Platforms, again.Platforms);
        Assert.Equal(original.ContentHashes, again.ContentHashes);
        var before = original.Environments[LockFile.DefaultEnvironment];
        var after = again.Environments[LockFile.DefaultEnvironment];
        Assert.Equal(before.Channels, after.Channels);
        foreach (var platform in original.Platforms)
        {
            var expected = before.Packages[platform].OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Location, StringComparer.Ordinal).ToList();
            var actual = after.Packages[platform].OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Location, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i] with { Depends = [] }, actual[i] with { Depends = [] });
                Assert.Equal(expected[i].Depends.Order(StringComparer.Ordinal), actual[i].Depends.Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void The_same_lock_writes_the_same_bytes_and_versions_that_look_like_numbers_are_quoted()
    {
        var original = LockFile.Parse(File.ReadAllText(Path.Combine(CondaLockFiles, "zlib.conda-lock.yml")), "zlib");
        var first = CondaLockWriter.Write(original, ["environment.yml"]);
        Assert.Equal(first, CondaLockWriter.Write(original, ["environment.yml"]));
        Assert.Contains("  version: '0.1'\n", first, StringComparison.Ordinal);
        Assert.Contains("  version: 11.2.0\n", first, StringComparison.Ordinal);
        Assert.Contains("    libgomp: '>=7.5.0'\n", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.1", "'0.1'")]
    [InlineData("1.10", "'1.10'")]
    [InlineData("3", "'3'")]
    [InlineData("2024-01-01", "'2024-01-01'")]
    [InlineData("11.2.0", "11.2.0")]
    [InlineData("yes", "'yes'")]
    [InlineData(">=7.5.0", "'>=7.5.0'")]
    [InlineData("0.1 conda_forge", "0.1 conda_forge")]
    [InlineData("it's", "it's")]
    [InlineData("", "''")]
    [InlineData("https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda", "https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda")]
    public void A_scalar_is_quoted_exactly_when_a_yaml_reader_would_read_it_as_something_else(string value, string expected) =>
        Assert.Equal(expected, YamlScalar.Write(value));

    [Fact]
    public void The_content_hash_ignores_the_order_of_the_specs_but_not_the_channels_or_the_virtual_packages()
    {
        VirtualPackage[] glibc217 = [new("__glibc", "2.17", "0")];
        var hash = LockContentHash.Compute(["conda-forge"], ["python 3.12.*", "numpy"], "linux-64", glibc217);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, LockContentHash.Compute(["conda-forge"], ["numpy", "python 3.12.*"], "linux-64", glibc217));
        Assert.NotEqual(hash, LockContentHash.Compute(["conda-forge", "bioconda"], ["numpy", "python 3.12.*"], "linux-64", glibc217));
        Assert.NotEqual(hash, LockContentHash.Compute(["conda-forge"], ["numpy", "python 3.12.*"], "linux-64", [new("__glibc", "2.28", "0")]));
        Assert.NotEqual(hash, LockContentHash.Compute(["conda-forge"], ["numpy", "python 3.12.*"], "linux-aarch64", glibc217));
    }
}
