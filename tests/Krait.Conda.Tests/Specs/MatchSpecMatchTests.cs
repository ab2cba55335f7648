using Krait.Conda.Records;
using Krait.Conda.Specs;
namespace Krait.Conda.Tests.Specs;

public class MatchSpecMatchTests
{
    private static PackageRecord Record(
        string name = "numpy",
        string version = "1.14.0",
        string build = "py36h3dfced4_1",
        long buildNumber = 1,
        string? channel = "https://repo.anaconda.com/pkgs/main",
        string subdir = "linux-64",
        string? trackFeatures = null,
        string? features = null,
        string? license = "BSD 3-Clause",
        string? md5 = "0123456789abcdef0123456789abcdef") =>
        new()
        {
            Name = name,
            Version = version,
            Build = build,
            BuildNumber = buildNumber,
            FileName = $"{name}-{version}-{build}.tar.bz2",
            Channel = channel,
            Subdir = subdir,
            TrackFeatures = trackFeatures,
            Features = features,
            License = license,
            Md5 = md5,
            Url = $"{channel}/{subdir}/{name}-{version}-{build}.tar.bz2",
        };

    [Theory]
    [InlineData("numpy", true)]
    [InlineData("scipy", false)]
    [InlineData("num*", true)]
    [InlineData("numpy 1.14.*", true)]
    [InlineData("numpy=1.14", true)]
    [InlineData("numpy=1.1", false)]
    [InlineData("numpy==1.14.0", true)]
    [InlineData("numpy==1.14", true)]
    [InlineData("numpy>=1.14,<1.15", true)]
    [InlineData("numpy<1.14", false)]
    [InlineData("numpy 1.14.0 py36h3dfced4_1", true)]
    [InlineData("numpy 1.14.0 py27*", false)]
    [InlineData("numpy=*=py36*", true)]
    [InlineData("numpy=*=*nomkl*", false)]
    [InlineData("numpy[build_number='>=1']", true)]
    [InlineData("numpy[build_number='>=2']", false)]
    [InlineData("numpy[build_number=1]", true)]
    [InlineData("pkgs/main::numpy", true)]
    [InlineData("conda-forge::numpy", false)]
    [InlineData("https://repo.anaconda.com/pkgs/main::numpy", true)]
    [InlineData("*::numpy", true)]
    [InlineData("numpy[subdir=linux-64]", true)]
    [InlineData("numpy[subdir=osx-64]", false)]
    [InlineData("numpy[md5=0123456789ABCDEF0123456789ABCDEF]", true)]
    [InlineData("numpy[md5=ffff]", false)]
    [InlineData("numpy[license='BSD*']", true)]
    [InlineData("numpy[fn=numpy-1.14.0-py36h3dfced4_1.tar.bz2]", true)]
    [InlineData("numpy[fn='*.conda']", false)]
    [InlineData("numpy[track_features=mkl]", false)]
    public void Matches_a_record_like_conda(string spec, bool expected) =>
        Assert.Equal(expected, MatchSpec.Parse(spec).Matches(Record()));

    [Fact]
    public void Track_features_must_be_the_same_set()
    {
        var record = Record(trackFeatures: "nomkl debug");
        Assert.True(MatchSpec.Parse("numpy[track_features='debug nomkl']").Matches(record));
        Assert.False(MatchSpec.Parse("numpy[track_features=nomkl]").Matches(record));
        Assert.True(MatchSpec.Parse("nomkl@").Matches(Record(trackFeatures: "nomkl")));
    }

    [Fact]
    public void A_record_with_a_version_conda_rejects_matches_only_specs_without_a_version()
    {
        var record = Record(version: "1.0<bad>");
        Assert.True(MatchSpec.Parse("numpy").Matches(record));
        Assert.False(MatchSpec.Parse("numpy>=1").Matches(record));
    }
}
