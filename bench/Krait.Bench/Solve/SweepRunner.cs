using System.Diagnostics;
using System.Globalization;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration.VirtualPackages;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Bench.Solve;

/// <summary>
/// Solves many random requests (one to four names of the channel, seeded) in process and checks that every
/// environment is valid: one record per name, every request, dependency and constraint met. Prints the slowest.
/// </summary>
public static class SweepRunner
{
    public static int Run(string channel, string platform, int count, int seed)
    {
        using var source = new ChannelPackageSource([Channel.Parse(Path.GetFullPath(channel))], platform);
        var names = source.Names().Where(n => !n.StartsWith('_')).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        var virtuals = VirtualPackageDetector.Detect(platform, name => name == "CONDA_OVERRIDE_GLIBC" ? "2.17" : null);
        var invalid = 0;
        var unsatisfiable = 0;
        var times = new List<(double Ms, string Request)>();
        for (var i = 0; i < count; i++)
        {
            var specs = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => names[random.Next(names.Length)]).Distinct().ToList();
            var request = new SolveRequest(PipDependency.Requested([.. specs.Select(MatchSpec.Parse)], source), virtuals);
            var clock = Stopwatch.StartNew();
            var result = CondaSolver.Solve(request, source);
            times.Add((clock.Elapsed.TotalMilliseconds, string.Join(' ', specs)));
            if (!result.IsSatisfiable)
            {
                unsatisfiable++;
                continue;
            }

            if (Problem(result.Records, [.. request.Specs], virtuals.Select(v => v.ToRecord())) is { } problem)
            {
                invalid++;
                Console.WriteLine($"INVALID {string.Join(' ', specs)}: {problem}");
            }
        }

        times.Sort((a, b) => b.Ms.CompareTo(a.Ms));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} requests: {invalid} invalid, {unsatisfiable} unsatisfiable; slowest {string.Join(", ", times.Take(3).Select(t => $"{t.Ms:F0} ms ({t.Request})"))}; median {times[times.Count / 2].Ms:F1} ms"));
        return invalid == 0 ? 0 : 1;
    }

    private static string? Problem(IReadOnlyList<PackageRecord> records, IReadOnlyList<MatchSpec> requests, IEnumerable<PackageRecord> virtuals)
    {
        var installed = records.Concat(virtuals).ToList();
        if (installed.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"{twice.Key} installed twice";
        }

        if (requests.FirstOrDefault(s => !installed.Any(s.Matches)) is { } unmet)
        {
            return $"request {unmet} not met";
        }

        foreach (var record in records)
        {
            if (record.Depends.Select(MatchSpec.Parse).FirstOrDefault(d => !installed.Any(d.Matches)) is { } missing)
            {
                return $"{record.FileName} needs {missing}";
            }

            foreach (var constraint in record.Constrains.Select(MatchSpec.Parse))
            {
                if (installed.FirstOrDefault(r => r.Name == constraint.Name.ExactValue && !constraint.Matches(r)) is { } broken)
                {
                    return $"{record.FileName} constrains {constraint}, broken by {broken.FileName}";
                }
            }
        }

        return null;
    }
}
