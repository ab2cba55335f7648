using Krait.Conda.Specs;
using Krait.Conda.Versions;
namespace Krait.Conda.Tests.Specs;

public class MatchSpecParseTests
{
    [Theory]
    [InlineData("numpy", "numpy")]
    [InlineData("numpy >=1.20,<2", "numpy")]
    [InlineData("  libgcc-ng>=7.3.0", "libgcc-ng")]
    [InlineData("python_abi 3.12.* *_cp312", "python_abi")]
    [InlineData("conda-forge::numpy[version='>=1.2']", "numpy")]
    [InlineData("scipy!=1.0", "scipy")]
    public void The_name_a_dependency_starts_with(string spec, string name) => Assert.Equal(name, MatchSpec.NameOf(spec));

    [Theory]
    [InlineData("numpy", "numpy")]
    [InlineData("NumPy", "numpy")]
    [InlineData("numpy 1.2", "numpy==1.2")]
    [InlineData("numpy 1.2.*", "numpy=1.2")]
    [InlineData("numpy 1.2*", "numpy=1.2")]
    [InlineData("numpy=1.2", "numpy=1.2")]
    [InlineData("numpy==1.2", "numpy==1.2")]
    [InlineData("numpy>=1.2", "numpy[version='>=1.2']")]
    [InlineData("numpy >= 1.2", "numpy[version='>=1.2']")]
    [InlineData("numpy >=1.2 , <2", "numpy[version='>=1.2,<2']")]
    [InlineData("numpy 1.2 py36_0", "numpy==1.2=py36_0")]
    [InlineData("numpy=1.2=py36_0", "numpy==1.2=py36_0")]
    [InlineData("numpy=1.2.3 0", "numpy==1.2.3=0")]
    [InlineData("numpy=*=*nomkl*", "numpy[build=*nomkl*]")]
    [InlineData("numpy * openblas_0", "numpy[build=openblas_0]")]
    [InlineData("numpy!=1.2", "numpy!=1.2")]
    [InlineData("python~=3.6.3", "python~=3.6.3")]
    [InlineData("python 2.7.*|3.5.*", "python[version='2.7.*|3.5.*']")]
    [InlineData("conda-forge::numpy", "conda-forge::numpy")]
    [InlineData("conda-forge/linux-64::numpy>=1.2", "conda-forge/linux-64::numpy[version='>=1.2']")]
    [InlineData("*::numpy 1.9*", "numpy=1.9")]
    [InlineData("numpy[version='>=1.13,<1.14',build='py36*']", "numpy[version='>=1.13,<1.14',build=py36*]")]
    [InlineData("numpy[version=\">=1.13,<1.14\",build=\"py36*\"]", "numpy[version='>=1.13,<1.14',build=py36*]")]
    [InlineData("numpy[version='=1.2']", "numpy=1.2")]
    [InlineData("numpy 1.0[build=py36_0]", "numpy==1.0=py36_0")]
    [InlineData("numpy[md5=abc123]", "numpy[md5=abc123]")]
    [InlineData("scipy[build_number='>=1']", "scipy[build_number='>=1']")]
    [InlineData("scipy[build_number=3]", "scipy[build_number=3]")]
    [InlineData("numpy[channel=conda-forge]", "conda-forge::numpy")]
    [InlineData("numpy[subdir=linux-64]", "numpy[subdir=linux-64]")]
    [InlineData("numpy[track_features='mkl debug']", "numpy[track_features='debug mkl']")]
    [InlineData("numpy[license=BSD*]", "numpy[license=BSD*]")]
    [InlineData("py*", "py*")]
    [InlineData("*", "*")]
    [InlineData("numpy # a comment", "numpy")]
    [InlineData("__glibc >=2.17", "__glibc[version='>=2.17']")]
    [InlineData("_libgcc_mutex", "_libgcc_mutex")]
    [InlineData("numpy=", "numpy")]
    public void Renders_condas_canonical_form(string spec, string canonical)
    {
        var parsed = MatchSpec.Parse(spec);
        Assert.Equal(canonical, parsed.ToString());
        // The canonical form reads back to the same spec.
        Assert.Equal(canonical, MatchSpec.Parse(canonical).ToString());
    }

    [Fact]
    public void Exposes_the_parsed_fields()
    {
        var spec = MatchSpec.Parse("conda-forge/linux-64::numpy >=1.13,<1.14 py36*[build_number='>=2',md5=abc]");
        Assert.Equal("numpy", spec.Name.ExactValue);
        Assert.True(spec.IsNameExact);
        Assert.Equal("conda-forge", spec.Channel);
        Assert.Equal("conda-forge", spec.ExactChannel);
        Assert.Equal("linux-64", spec.Subdir);
        Assert.Equal(">=1.13,<1.14", spec.Version!.ToString());
        Assert.Equal("py36*", spec.Build!.Text);
        Assert.Equal(VersionOperator.GreaterOrEqual, spec.BuildNumber!.Operator);
        Assert.Equal(2, spec.BuildNumber.Number);
        Assert.Equal("abc", spec.Md5);

        var any = MatchSpec.Parse("*::numpy");
        Assert.Equal("*", any.Channel);
        Assert.Null(any.ExactChannel);
    }

    [Fact]
    public void A_package_url_sets_channel_subdir_name_version_build_and_file_name()
    {
        var spec = MatchSpec.Parse("https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h1234_0.conda");
        Assert.Equal("numpy", spec.Name.ExactValue);
        Assert.True(spec.Version!.IsExact);
        Assert.Equal("py312h1234_0", spec.Build!.Text);
        Assert.Equal("https://conda.anaconda.org/conda-forge", spec.Channel);
        Assert.Equal("linux-64", spec.Subdir);
        Assert.Equal("numpy-1.26.4-py312h1234_0.conda", spec.FileName!.Text);
        Assert.Equal("https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h1234_0.conda", spec.Url);
    }

    [Theory]
    [InlineData("", "empty spec")]
    [InlineData("   ", "empty spec")]
    [InlineData("numpy[version=1.2", "unclosed '['")]
    [InlineData("numpy]", "']' without '['")]
    [InlineData("numpy[version=1.2]extra", "after the bracket section")]
    [InlineData("numpy[foo=bar]", "unknown key 'foo'")]
    [InlineData("numpy[version]", "expected key=value")]
    [InlineData("numpy[version='1.2]", "unclosed quote")]
    [InlineData(">=1.2", "no package name")]
    [InlineData("num$py", "invalid character '$'")]
    [InlineData("numpy >=1.2 build extra", "unexpected text")]
    [InlineData("numpy >=", "needs a version")]
    [InlineData("numpy==", "needs a version")]
    [InlineData("numpy =>1.2", "invalid operator")]
    [InlineData("numpy 1..2", "empty version component")]
    [InlineData("numpy[build_number=abc]", "invalid build number")]
    [InlineData("numpy:1.2", "'::'")]
    [InlineData("numpy 1.2[build=x][md5=y]", "multiple bracket sections")]
    [InlineData("__", "invalid package name")]
    public void Rejects_invalid_specs_with_a_position_and_a_reason(string spec, string reason)
    {
        var error = Assert.Throws<InvalidMatchSpecException>(() => MatchSpec.Parse(spec));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Position, 0, Math.Max(0, spec.Length - 1));
    }
}
