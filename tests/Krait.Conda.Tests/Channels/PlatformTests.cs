using Krait.Conda.Platforms;
namespace Krait.Conda.Tests.Channels;

public class PlatformTests
{
    [Fact]
    public void Knows_condas_subdirs_and_this_machine()
    {
        foreach (var subdir in new[] { "linux-64", "linux-aarch64", "linux-ppc64le", "osx-64", "osx-arm64", "win-64", "win-arm64", "noarch", "emscripten-wasm32" })
        {
            Assert.True(Platform.IsKnown(subdir), subdir);
        }

        Assert.Contains(Platform.Native, Platform.KnownSubdirs);
        Assert.Equal("linux", Platform.OperatingSystemOf("linux-aarch64"));
        Assert.Null(Platform.OperatingSystemOf("noarch"));
        Assert.True(Platform.IsUnix("osx-arm64"));
        Assert.False(Platform.IsUnix("win-64"));
    }

    [Fact]
    public void An_unknown_platform_names_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Platform.Validate("linux-65"));
        Assert.Contains("unknown platform 'linux-65'", error.Message, StringComparison.Ordinal);
        Assert.Contains("osx-arm64", error.Message, StringComparison.Ordinal);
    }
}
