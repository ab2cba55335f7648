using Krait.TestSupport;

namespace Krait.Packages.Tests;

public sealed class PackageAboutTests : IDisposable
{
    private readonly TempFolder scratch = new("about");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Reads_the_about_json_of_real_packages()
    {
        var clobber = Path.Combine(scratch, "clobber-a");
        PackageExtractor.Extract(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "clobber-a-1.0-0.conda"), clobber);
        var about = PackageAbout.Read(clobber)!;
        Assert.StartsWith("Ships bin/clobber-test-file", about.Summary, StringComparison.Ordinal);
        Assert.Equal(["https://repo.anaconda.com/pkgs/main"], about.Channels);

        var linkScripts = Path.Combine(scratch, "link-scripts");
        PackageExtractor.Extract(Path.Combine(RepoPaths.Data, "packages", "link-scripts", "link-scripts-0.1.0-h4616a5c_0.conda"), linkScripts);
        Assert.Equal(["conda-forge"], PackageAbout.Read(linkScripts)!.Channels);
        Assert.Null(PackageAbout.Read(linkScripts)!.Summary);
    }

    [Fact]
    public void A_missing_about_json_is_null_and_a_malformed_one_an_error()
    {
        Directory.CreateDirectory(Path.Combine(scratch, "info"));
        Assert.Null(PackageAbout.Read(scratch));
        File.WriteAllText(Path.Combine(scratch, "info", "about.json"), "{\"summary\": ");
        Assert.Throws<InvalidDataException>(() => PackageAbout.Read(scratch));
        File.WriteAllText(Path.Combine(scratch, "info", "about.json"), "[1]");
        Assert.Throws<InvalidDataException>(() => PackageAbout.Read(scratch));
    }
}
