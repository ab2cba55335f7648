using BenchmarkDotNet.Attributes;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Conda.Versions;

namespace Krait.Bench.Conda;

/// <summary>
/// Micro-benchmarks of the operations the solver runs per candidate: parsing versions, ordering them, and
/// matching specs. Run: dotnet run -c Release --project bench/Krait.Bench -- --filter '*VersionBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class VersionBenchmarks
{
    private static readonly string[] Texts = ["1.26.4", "2.0.0rc1", "1!3.2.post4", "0.9.8zh", "2024.01.15", "3.12.0a0", "1.0.0+local.7", "4.5.6.dev3"];

    private Version[] versions = [];
    private VersionSpec spec = VersionSpec.Any;
    private MatchSpec matchSpec = MatchSpec.Parse("*");
    private PackageRecord record = null!;

    [GlobalSetup]
    public void Setup()
    {
        versions = [.. Texts.Select(Version.Parse)];
        spec = VersionSpec.Parse(">=1.20,<2.0a0|2.1.*");
        matchSpec = MatchSpec.Parse("numpy >=1.20,<2.0a0 py312*");
        record = new PackageRecord { Name = "numpy", Version = "1.26.4", Build = "py312h8753938_0", FileName = "numpy-1.26.4-py312h8753938_0.conda" };
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int ParseVersions()
    {
        var total = 0;
        foreach (var text in Texts)
        {
            total += Version.Parse(text).Segments.Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int CompareVersions()
    {
        var total = 0;
        foreach (var a in versions)
        {
            foreach (var b in versions)
            {
                total += a.CompareTo(b);
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int MatchVersionSpec()
    {
        var total = 0;
        foreach (var version in versions)
        {
            total += spec.Matches(version) ? 1 : 0;
        }

        return total;
    }

    [Benchmark]
    public bool MatchRecord() => matchSpec.Matches(record);

    [Benchmark]
    public MatchSpec ParseMatchSpec() => MatchSpec.Parse("conda-forge::numpy[version='>=1.20,<2.0a0',build=py312*]");
}
