namespace Krait.Solve.Tests;

/// <summary>
/// Every solve of ../shared/conformance/solves-large.jsonl (micromamba 2.8.1 on the generated conda-forge-scale
/// channel): Krait must return a valid environment, and the one libsolv picks.
/// </summary>
public sealed class LargeConformanceTests(LargeChannel channel) : IClassFixture<LargeChannel>
{
    private const string File = "solves-large.jsonl";

    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        foreach (var c in ConformanceCase.All(File))
        {
            data.Add(c.Line);
        }

        return data;
    }

    [Fact]
    public void The_large_preset_with_seed_42_still_writes_the_recorded_channel()
    {
        foreach (var (subdir, hash) in LargeChannel.RecordedHashes)
        {
            Assert.True(channel.Sha256(subdir) == hash, $"the generator's large preset (seed 42) no longer writes the {subdir} repodata.json the answers in {File} were recorded on: add a preset instead of changing this one");
        }
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Solves_like_the_reference_at_conda_forge_scale(int line)
    {
        var conformance = ConformanceCase.All(File).Single(c => c.Line == line);
        Assert.Equal("generated-large-seed42", conformance.Channel);
        var result = conformance.Solve(channel.Source(conformance.Subdir));

        Assert.True(result.IsSatisfiable, $"{conformance}: {result.Explanation}");
        SolutionChecks.AssertValid(result.Records, conformance);
        Assert.Equal(conformance.Expected!.Order(StringComparer.Ordinal), result.Records.Select(r => $"{r.Name}-{r.Version}-{r.Build}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Random_requests_at_conda_forge_scale_give_valid_environments()
    {
        // Beyond the recorded answers: one to four names drawn from the channel (seeded), every environment checked.
        var source = channel.Source("linux-64");
        var names = source.Names().Where(n => !n.StartsWith('_')).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(12);
        for (var i = 0; i < 60; i++)
        {
            var specs = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => names[random.Next(names.Length)]).Distinct().ToList();
            var request = new ConformanceCase(i, "generated-large-seed42", "linux-64", specs, Expected: null, PeerMessage: null);
            var result = request.Solve(source);
            Assert.True(result.IsSatisfiable, $"{request}: {result.Explanation}");
            SolutionChecks.AssertValid(result.Records, request);
        }
    }
}
