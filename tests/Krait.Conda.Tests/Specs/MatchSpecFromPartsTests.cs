using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Conda.Versions;

namespace Krait.Conda.Tests.Specs;

/// <summary>Specs made from parts, not text: names and pins of installed builds, whatever characters they hold.</summary>
public class MatchSpecFromPartsTests
{
    private static PackageRecord Record(string version, string build) => new() { Name = "numpy", Version = version, Build = build, FileName = $"numpy-{version}-{build}.conda" };

    [Fact]
    public void A_pin_matches_only_that_version_and_build()
    {
        var pin = MatchSpec.Pin(Record("1.26.4", "py312h_0"));
        Assert.True(pin.Matches(Record("1.26.4", "py312h_0")));
        Assert.True(pin.Matches(Record("1.26.4.0", "py312h_0")));
        Assert.False(pin.Matches(Record("1.26.4", "py311h_0")));
        Assert.False(pin.Matches(Record("1.26.5", "py312h_0")));
        Assert.True(pin.IsNameExact);

        var anyBuild = MatchSpec.Pin(Record("1.26.4", "py312h_0"), withBuild: false);
        Assert.True(anyBuild.Matches(Record("1.26.4", "py311h_0")));
        Assert.False(anyBuild.Matches(Record("1.26", "py311h_0")));
    }

    [Fact]
    public void Its_text_reads_back_as_the_same_spec()
    {
        var pin = MatchSpec.Pin(Record("2.0.0rc1", "py_0"));
        Assert.Equal(pin.ToString(), pin.Original);
        var reread = MatchSpec.Parse(pin.ToString());
        Assert.Equal(pin.ToString(), reread.ToString());
        Assert.True(reread.Matches(Record("2.0.0rc1", "py_0")));
    }

    [Fact]
    public void A_name_with_glob_characters_is_taken_literally()
    {
        var literal = new MatchSpec(StringMatcher.Exact("py*"));
        Assert.False(literal.Matches(new PackageRecord { Name = "python", Version = "3.12", Build = "0", FileName = "python-3.12-0.conda" }));
        Assert.Equal(VersionOperator.Equal, VersionConstraint.Exactly(Krait.Conda.Versions.Version.Parse("1.0")).Operator);
    }
}
