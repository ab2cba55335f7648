using Krait.Conda.Versions;
namespace Krait.Conda.Tests.Versions;

public class VersionSpecTests
{
    [Theory]
    [InlineData("1.7.1", "1.7.1", true)]
    [InlineData("1.7.1", "1.7.1.0", true)]
    [InlineData("1.7.1", "1.7.2", false)]
    [InlineData("==1.7.1", "1.7.1", true)]
    [InlineData("==1.7", "1.7.1", false)]
    [InlineData("1.7.*", "1.7.1", true)]
    [InlineData("1.7.*", "1.7", true)]
    [InlineData("1.7.*", "1.8", false)]
    [InlineData("1.7*", "1.7.1", true)]
    [InlineData("1.7*", "1.70", false)]
    [InlineData("0.2*", "0.20", false)]
    [InlineData("0.2*", "0.2.1", true)]
    [InlineData("3*", "36.1", false)]
    [InlineData("3*", "3.6", true)]
    [InlineData("=1.2", "1.2.5", true)]
    [InlineData("=1.2", "1.20", false)]
    [InlineData("=1.2.*", "1.2.5", true)]
    [InlineData(">=1.7,<1.8", "1.7.5", true)]
    [InlineData(">=1.7,<1.8", "1.8", false)]
    [InlineData(">=1.7,<1.8", "1.8.0a1", true)]
    [InlineData(">=1.7,<1.8.0a0", "1.8.0a1", false)]
    [InlineData("<=1.2", "1.2.0", true)]
    [InlineData(">1.2", "1.2.0", false)]
    [InlineData(">1.2", "1.2.0.1", true)]
    [InlineData(">=1.2.*", "1.3", true)]
    [InlineData(">=1.2.*", "1.1", false)]
    [InlineData("!=1.7.1", "1.7.2", true)]
    [InlineData("!=1.7.1", "1.7.1", false)]
    [InlineData("!=1.7.*", "1.7.2", false)]
    [InlineData("!=1.7.*", "1.8", true)]
    [InlineData("~=1.7.1", "1.7.5", true)]
    [InlineData("~=1.7.1", "1.7.1", true)]
    [InlineData("~=1.7.1", "1.8", false)]
    [InlineData("~=1.7.1", "1.7.0", false)]
    [InlineData("~=3.6.3", "3.6.8", true)]
    [InlineData("~=3.6", "3.9", true)]
    [InlineData("~=3.6", "4.0", false)]
    [InlineData("1.7|1.8", "1.8", true)]
    [InlineData("1.7|1.8", "1.9", false)]
    [InlineData("2.7.*|3.5.*", "3.5.4", true)]
    [InlineData("2.7.*|3.5.*", "3.6.0", false)]
    [InlineData("1.2.3|>=2.0,<3", "2.5", true)]
    [InlineData("1.2.3|>=2.0,<3", "1.2.3", true)]
    [InlineData("1.2.3|>=2.0,<3", "3.1", false)]
    [InlineData("(1.2|1.3),>=1.2.5", "1.3.1", false)]
    [InlineData("(1.2.*|1.3.*),>=1.2.5", "1.3.1", true)]
    [InlineData("(1.2.*|1.3.*),>=1.2.5", "1.2.1", false)]
    [InlineData("1.*.3", "1.5.3", true)]
    [InlineData("1.*.3", "1.5.4", false)]
    [InlineData("^1\\.7\\.[0-9]+$", "1.7.12", true)]
    [InlineData("^1\\.7\\.[0-9]+$", "1.8.1", false)]
    [InlineData("*", "0.0.1", true)]
    [InlineData(" >=1.2 , <2 ", "1.5", true)]
    [InlineData("1!1.0", "1.0", false)]
    [InlineData(">=1!0", "2.0", false)]
    [InlineData("1.0+local", "1.0+local", true)]
    [InlineData("1.0.*", "1.0+local", true)]
    [InlineData("1.0rc1", "1.0RC1", true)]
    public void Matches_like_conda(string spec, string version, bool expected) =>
        Assert.Equal(expected, VersionSpec.Parse(spec).Matches(Version.Parse(version)));

    [Theory]
    [InlineData(">=1.2,<2", ">=1.2,<2")]
    [InlineData(" >=1.2 , <2 ", ">=1.2,<2")]
    [InlineData("1.2|1.3", "1.2|1.3")]
    [InlineData("(1.2|1.3),>=1.0", "(1.2|1.3),>=1.0")]
    [InlineData("((1.2))", "1.2")]
    [InlineData("1.2.*", "1.2.*")]
    [InlineData("*", "*")]
    public void Renders_a_canonical_string(string spec, string expected) =>
        Assert.Equal(expected, VersionSpec.Parse(spec).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData(">=", "needs a version")]
    [InlineData("=>1.2", "invalid operator '=>'")]
    [InlineData(">=1.2,", "missing at the end")]
    [InlineData(">=1.2|", "missing at the end")]
    [InlineData("1.2,,1.3", "missing before ','")]
    [InlineData("(1.2", "unbalanced '('")]
    [InlineData("1.2)", "unbalanced ')'")]
    [InlineData("~=1.2.*", "'~='")]
    [InlineData("~=1", "at least two components")]
    [InlineData("!1.2", "invalid operator '!'")]
    [InlineData("1.2$", "must start with '^'")]
    [InlineData("^1.2", "must end with '$'")]
    [InlineData(">=1.2 3", "invalid character ' '")]
    public void Rejects_bad_specs_with_a_reason(string spec, string reason)
    {
        var error = Assert.Throws<InvalidVersionSpecException>(() => VersionSpec.Parse(spec));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Position, 0, Math.Max(0, spec.Length - 1));
    }

    [Fact]
    public void Exposes_structure_for_explanations()
    {
        var spec = Assert.IsType<VersionSpecGroup>(VersionSpec.Parse(">=1.9,<1.13"));
        Assert.True(spec.IsAnd);
        var lower = Assert.IsType<VersionConstraint>(spec.Parts[0]);
        Assert.Equal(VersionOperator.GreaterOrEqual, lower.Operator);
        Assert.Equal(Version.Parse("1.9"), lower.Version);
        Assert.True(VersionSpec.Parse("==1.2").IsExact);
        Assert.True(VersionSpec.Parse("1.2").IsExact);
        Assert.False(VersionSpec.Parse("1.2.*").IsExact);
        Assert.True(VersionSpec.Parse("*").MatchesAll);
    }
}
