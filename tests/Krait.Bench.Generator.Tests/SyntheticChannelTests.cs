using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Repodata.Parsing;
using Krait.TestSupport;

namespace Krait.Bench.Generator.Tests;

public sealed class SyntheticChannelTests : IDisposable
{
    private readonly TempFolder root = new("gen");

    public void Dispose() => root.Dispose();

    private string Generate(string name, GeneratorOptions options)
    {
        var directory = Path.Combine(root, name);
        SyntheticChannel.Write(directory, options);
        return directory;
    }

    private static string Hash(string channel, string subdir) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(channel, subdir, "repodata.json"))));

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_does_not()
    {
        var first = Generate("a", new GeneratorOptions(7, 3000));
        var second = Generate("b", new GeneratorOptions(7, 3000));
        var other = Generate("c", new GeneratorOptions(8, 3000));
        Assert.Equal(Hash(first, "linux-64"), Hash(second, "linux-64"));
        Assert.Equal(Hash(first, "noarch"), Hash(second, "noarch"));
        Assert.NotEqual(Hash(first, "linux-64"), Hash(other, "linux-64"));
    }

    [Fact]
    public void Every_dependency_names_a_package_and_some_version_of_it_satisfies_the_pin()
    {
        var channel = Generate("valid", new GeneratorOptions(3, 4000));
        var records = new[] { "linux-64", "noarch" }
            .SelectMany(s => RepodataParser.ParseFile(Path.Combine(channel, s, "repodata.json"), s).Records())
            .ToList();
        Assert.True(records.Count >= 3000, $"{records.Count} installable records");
        var byName = records.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(byName.Count > 100, $"{byName.Count} names");
        foreach (var record in records)
        {
            Assert.False(string.IsNullOrEmpty(record.Md5));
            Assert.Equal(64, record.Sha256!.Length);
            Assert.NotNull(record.Timestamp);
            foreach (var dependency in record.Depends)
            {
                var spec = MatchSpec.Parse(dependency);
                Assert.True(byName.TryGetValue(spec.Name.ExactValue!, out var candidates), $"{record}: nothing provides {dependency}");
                Assert.True(candidates.Any(spec.Matches), $"{record}: no version of {spec.Name} satisfies {dependency}");
            }
        }

        Assert.Contains(records, r => r.NoArch == NoArchType.Python && r.Subdir == "noarch");
        Assert.Contains(records, r => r.TrackFeatures == "blas_mkl");
        Assert.Contains(records, r => r.FileName.EndsWith(".conda", StringComparison.Ordinal));
        Assert.Contains(records, r => r.FileName.EndsWith(".tar.bz2", StringComparison.Ordinal));
    }
}
