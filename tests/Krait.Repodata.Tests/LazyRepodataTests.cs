using Krait.Repodata.Parsing;
using Krait.TestSupport;
namespace Krait.Repodata.Tests;

public class LazyRepodataTests
{
    public static TheoryData<string> Files => SharedRepodata.All();

    [Theory]
    [MemberData(nameof(Files))]
    public void Gives_for_every_name_exactly_the_records_the_full_parse_gives(string relative)
    {
        var path = SharedRepodata.PathOf(relative);
        var full = RepodataParser.ParseFile(path);
        var byName = full.TarBz2Packages.Concat(full.CondaPackages).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.ToList());
        using var lazy = LazyRepodata.Open(path);
        Assert.Equal(full.Subdir, lazy.Subdir);
        Assert.Equal(full.RepodataVersion, lazy.RepodataVersion);
        foreach (var (name, expected) in byName)
        {
            var actual = lazy.RecordsOf(name);
            Assert.Equal(expected.Select(Describe).Order(), actual.Select(Describe).Order());
        }

        Assert.Empty(lazy.RecordsOf("no-such-package-anywhere"));
        Assert.False(lazy.FellBackToFullParse, "the fast path should serve every real channel");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_name_index_serves_the_same_records(string relative)
    {
        var path = SharedRepodata.PathOf(relative);
        var full = RepodataParser.ParseFile(path);
        using var lazy = LazyRepodata.Open(path);
        lazy.BuildNameIndex();
        foreach (var group in full.TarBz2Packages.Concat(full.CondaPackages).GroupBy(r => r.Name))
        {
            Assert.Equal(group.Select(Describe).Order(), lazy.RecordsOf(group.Key).Select(Describe).Order());
        }

        Assert.Empty(lazy.RecordsOf("no-such-package-anywhere"));
        Assert.False(lazy.FellBackToFullParse);
    }

    [Fact]
    public void A_name_that_only_appears_in_dependencies_gives_nothing_and_tricky_layouts_still_match()
    {
        using var folder = new TempFolder("lazy").Create();
        var path = folder.Combine("lazy.json");
        File.WriteAllText(path, """
            {"info":{"subdir":"linux-64"},"packages":{
            "b-1-0.tar.bz2":{"depends":["a"],"name":"b","version":"1","build":"0"},
            "a-1-0.tar.bz2":{"arch":null,"requires_features":{"x":"{["},"depends":["b {x}"],"name"  :
              "a","version":"1","build":"0"},
            "c-1-0.tar.bz2":{"name":"c","version":"1","build":"0","summary":"\"name\": \"a\""}},
            "packages.conda":{"a-1-1.conda":{"name":"a","version":"1","build":"1"}}}
            """);
        using var lazy = LazyRepodata.Open(path);
        Assert.Equal(["a-1-0.tar.bz2", "a-1-1.conda"], lazy.RecordsOf("a").Select(r => r.FileName));
        Assert.Equal("linux-64", lazy.RecordsOf("b")[0].Subdir);
        Assert.Empty(lazy.RecordsOf("x"));
        var subset = lazy.Load(["a", "c"]);
        Assert.Equal(["a-1-0.tar.bz2", "c-1-0.tar.bz2"], subset.TarBz2Packages.Select(r => r.FileName));
        Assert.Equal(["a-1-1.conda"], subset.CondaPackages.Select(r => r.FileName));
    }

    private static string Describe(Krait.Conda.Records.PackageRecord r) =>
        $"{r.FileName}|{r.Name}|{r.Version}|{r.Build}|{r.BuildNumber}|{string.Join(',', r.Depends)}|{r.Md5}|{r.Subdir}|{r.Timestamp}|{r.ExtraFields?.Count}";
}
