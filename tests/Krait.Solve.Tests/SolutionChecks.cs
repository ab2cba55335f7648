using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Tests;

/// <summary>What makes an environment valid: one record per name, every request, dependency and constraint met.</summary>
public static class SolutionChecks
{
    public static void AssertValid(IReadOnlyList<PackageRecord> records, ConformanceCase conformance)
    {
        var virtuals = Krait.Configuration.VirtualPackages.VirtualPackageDetector.Detect(conformance.Subdir, name => name switch
        {
            "CONDA_OVERRIDE_GLIBC" => "2.17",
            "CONDA_OVERRIDE_CUDA" => "10.0",
            _ => Environment.GetEnvironmentVariable(name),
        }).Select(v => v.ToRecord());
        var installed = records.Concat(virtuals).ToList();
        var byName = installed.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(byName, g => Assert.True(g.Value.Count == 1, $"{g.Key} installed {g.Value.Count} times"));
        foreach (var spec in conformance.Specs.Select(MatchSpec.Parse))
        {
            Assert.True(installed.Any(spec.Matches), $"request {spec} is not met");
        }

        foreach (var record in records)
        {
            foreach (var dependency in record.Depends)
            {
                var spec = MatchSpec.Parse(dependency);
                Assert.True(installed.Any(spec.Matches), $"{record} needs {dependency}, which nothing installed provides");
            }

            foreach (var constraint in record.Constrains)
            {
                var spec = MatchSpec.Parse(constraint);
                var constrained = installed.Where(r => r.Name == spec.Name.ExactValue).ToList();
                Assert.True(constrained.All(spec.Matches), $"{record} constrains {constraint}, broken by {string.Join(' ', constrained)}");
            }
        }
    }
}
