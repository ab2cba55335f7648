using Krait.Conda.Records;

namespace Krait.Conda.Tests.Records;

public sealed class SimilarNamesTests
{
    private static readonly string[] Names = ["numpy", "numba", "pandas", "panda3d", "scipy", "python", "pytorch", "six"];

    [Theory]
    [InlineData("numpi", "numpy")]
    [InlineData("nupmy", "numpy")]
    [InlineData("pandaz", "pandas")]
    [InlineData("Scipy", "scipy")]
    [InlineData("pyhton", "python")]
    [InlineData("sx", "six")]
    public void A_typo_finds_the_name_meant(string typed, string meant) => Assert.Equal(meant, SimilarNames.Of(typed, Names)[0]);

    [Theory]
    [InlineData("tensorflow")]
    [InlineData("np")]
    [InlineData("numpy")]
    public void Far_names_and_the_name_itself_are_no_suggestion(string typed) => Assert.Empty(SimilarNames.Of(typed, Names));
}
