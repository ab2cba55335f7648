using Krait.Build.Variants;
using Krait.Conda.Records;

namespace Krait.Build.Tests;

public class BuildHashTests
{
    /// <summary>rattler-build's own vector (its hash tests): the same variant must give the same build string in Krait.</summary>
    [Fact]
    public void The_hash_is_rattler_builds()
    {
        var variant = new Dictionary<string, string>
        {
            ["rust_compiler"] = "rust",
            ["build_platform"] = "osx-64",
            ["c_compiler"] = "clang",
            ["target_platform"] = "osx-arm64",
            ["openssl"] = "3",
            ["CONDA_BUILD_SYSROOT"] = "/Applications/Xcode_13.2.1.app/Contents/Developer/Platforms/MacOSX.platform/Developer/SDKs/MacOSX11.0.sdk",
            ["channel_targets"] = "conda-forge main",
            ["python"] = "3.11.* *_cpython",
            ["c_compiler_version"] = "14",
        };
        Assert.Equal("py311h507f6e9", BuildHash.Compute(variant, NoArchType.None));
        Assert.StartsWith("{\"CONDA_BUILD_SYSROOT\": \"/Applications/", BuildHash.Input(variant), StringComparison.Ordinal);
    }

    [Fact]
    public void The_prefix_names_the_versions_in_conda_builds_order()
    {
        var variant = new Dictionary<string, string> { ["python"] = "3.12", ["numpy"] = "1.26", ["perl"] = "5.32.1", ["target_platform"] = "linux-64" };
        Assert.Equal("np126py312pl5321", BuildHash.Prefix(variant, NoArchType.None));
        Assert.Equal("py", BuildHash.Prefix(variant, NoArchType.Python));
        Assert.Equal(string.Empty, BuildHash.Prefix(new Dictionary<string, string> { ["target_platform"] = "linux-64" }, NoArchType.None));

        // Keys are normalised before hashing: r-base and r_base are one key.
        Assert.Equal(BuildHash.Hash(new Dictionary<string, string> { ["r-base"] = "4.3" }), BuildHash.Hash(new Dictionary<string, string> { ["r_base"] = "4.3" }));
    }
}
