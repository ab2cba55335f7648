using Krait.Conda.Specs;
using Krait.Conda.VirtualPackages;
using Krait.Configuration.VirtualPackages;
namespace Krait.Configuration.Tests;

public class VirtualPackageTests
{
    private static Dictionary<string, VirtualPackage> Detect(string platform, Dictionary<string, string> environment) =>
        VirtualPackageDetector.Detect(platform, name => environment.GetValueOrDefault(name)).ToDictionary(p => p.Name);

    [Fact]
    public void Overrides_replace_detection_and_an_empty_override_removes_the_package()
    {
        var packages = Detect("linux-64", new()
        {
            ["CONDA_OVERRIDE_GLIBC"] = "2.17",
            ["CONDA_OVERRIDE_LINUX"] = "5.10",
            ["CONDA_OVERRIDE_CUDA"] = "10.0",
            ["CONDA_OVERRIDE_ARCHSPEC"] = "skylake",
        });
        Assert.Equal(new VirtualPackage("__glibc", "2.17", "0"), packages["__glibc"]);
        Assert.Equal(new VirtualPackage("__linux", "5.10", "0"), packages["__linux"]);
        Assert.Equal(new VirtualPackage("__cuda", "10.0", "0"), packages["__cuda"]);
        Assert.Equal(new VirtualPackage("__archspec", "1", "skylake"), packages["__archspec"]);
        Assert.Equal(new VirtualPackage("__unix", "0", "0"), packages["__unix"]);

        var withoutCuda = Detect("linux-64", new() { ["CONDA_OVERRIDE_CUDA"] = string.Empty, ["CONDA_OVERRIDE_GLIBC"] = string.Empty });
        Assert.False(withoutCuda.ContainsKey("__cuda"));
        Assert.False(withoutCuda.ContainsKey("__glibc"));
    }

    [Fact]
    public void Other_platforms_get_their_os_family_and_architecture()
    {
        var osx = Detect("osx-arm64", new() { ["CONDA_OVERRIDE_OSX"] = "14.2" });
        Assert.Equal("14.2", osx["__osx"].Version);
        Assert.True(osx.ContainsKey("__unix"));
        Assert.False(osx.ContainsKey("__glibc"));
        Assert.Equal("arm64", osx["__archspec"].Build);

        var windows = Detect("win-64", []);
        Assert.True(windows.ContainsKey("__win"));
        Assert.False(windows.ContainsKey("__unix"));
        Assert.Equal("x86_64", windows["__archspec"].Build);

        Assert.Empty(Detect("noarch", []));
    }

    [Fact]
    public void This_machine_is_detected()
    {
        var packages = VirtualPackageDetector.Detect();
        Assert.Contains(packages, p => p.Name == "__archspec");
        if (OperatingSystem.IsLinux())
        {
            var linux = Assert.Single(packages, p => p.Name == "__linux");
            Assert.Matches(@"^\d+(\.\d+)*$", linux.Version);
            var glibc = packages.SingleOrDefault(p => p.Name == "__glibc");
            if (glibc is not null)
            {
                Assert.True(Version.Parse(glibc.Version) >= Version.Parse("2.17"));
            }
        }
    }

    [Fact]
    public void A_virtual_package_is_a_record_specs_can_match()
    {
        var record = new VirtualPackage("__glibc", "2.28", "0").ToRecord();
        Assert.True(MatchSpec.Parse("__glibc >=2.17").Matches(record));
        Assert.False(MatchSpec.Parse("__glibc >=2.34").Matches(record));
    }
}
