using Krait.Conda.Environments;
namespace Krait.Conda.Tests.Environments;

public class ExplicitEnvironmentTests
{
    [Fact]
    public void Reads_urls_with_md5_or_sha256_and_derives_the_records()
    {
        var text = """
            # This file may be used to create an environment using:
            # platform: linux-64
            @EXPLICIT
            https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda#0123456789abcdef0123456789abcdef
            https://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyh6c4a22f_0.tar.bz2#sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            file:///srv/chan/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2
            """;
        var packages = ExplicitEnvironment.Parse(text, "env.txt");
        Assert.Equal(3, packages.Count);
        Assert.Equal("0123456789abcdef0123456789abcdef", packages[0].Md5);
        Assert.Equal(new string('a', 64), packages[1].Sha256);

        var numpy = packages[0].ToRecord();
        Assert.Equal(("numpy", "1.26.4", "py312h8753938_0"), (numpy.Name, numpy.Version, numpy.Build));
        Assert.Equal("linux-64", numpy.Subdir);
        Assert.Equal("https://conda.anaconda.org/conda-forge", numpy.Channel);
        Assert.Equal("numpy-1.26.4-py312h8753938_0.conda", numpy.FileName);

        var mutex = packages[2].ToRecord();
        Assert.Equal(("_libgcc_mutex", "0.1", "conda_forge"), (mutex.Name, mutex.Version, mutex.Build));
    }

    [Theory]
    [InlineData("https://x/linux-64/a-1-0.conda\n", "needs the line @EXPLICIT")]
    [InlineData("# only comments\n", "no @EXPLICIT line")]
    [InlineData("@EXPLICIT\nnumpy >=1.2\n", "is not the URL of a .conda or .tar.bz2 package")]
    [InlineData("@EXPLICIT\nhttps://x/linux-64/a-1-0.conda#nothex\n", "neither an md5 nor sha256")]
    public void Rejects_bad_files_with_the_line(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ExplicitEnvironment.Parse(text, "env.txt"));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("env.txt", error.Message, StringComparison.Ordinal);
    }
}
