namespace Krait.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public void Shared_data_is_reachable() => Assert.True(Directory.Exists(Krait.TestSupport.RepoPaths.Channels));
}
