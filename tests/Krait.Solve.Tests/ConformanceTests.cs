namespace Krait.Solve.Tests;

/// <summary>
/// Every solve of ../shared/conformance/solves.jsonl (recorded from micromamba 2.8.1, libsolv): Krait must agree on
/// whether a solution exists, return a valid environment, and — these cases all have a unique best answer in
/// conda's order — the same one.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        foreach (var c in ConformanceCase.All())
        {
            data.Add(c.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Solves_like_the_reference(int line)
    {
        var conformance = ConformanceCase.All().Single(c => c.Line == line);
        var result = conformance.Solve();

        if (conformance.Expected is null)
        {
            Assert.False(result.IsSatisfiable, $"{conformance}: the reference found no solution ({conformance.PeerMessage}) but Krait returned {string.Join(' ', result.Records)}");
            Assert.StartsWith("Could not find a set of packages that satisfies every request:", result.Explanation, StringComparison.Ordinal);
            Assert.True(result.Explanation!.Split('\n').Length is > 1 and < 60, $"an explanation should be short: {result.Explanation}");
            return;
        }

        Assert.True(result.IsSatisfiable, $"{conformance}: {result.Explanation}");
        SolutionChecks.AssertValid(result.Records, conformance);
        Assert.Equal(conformance.Expected.Order(StringComparer.Ordinal), result.Records.Select(r => $"{r.Name}-{r.Version}-{r.Build}").Order(StringComparer.Ordinal));
    }
}
