using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Specs;
using Krait.Configuration.VirtualPackages;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Bench.Solve;

/// <summary>
/// Every solve of a conformance file on one generated channel, in process on one loaded source: whether Krait's
/// environment equals the recorded one (and, when not, which records differ), the solve time on loaded records
/// beside the peer's recorded whole-command time.
/// </summary>
public static class AgreementRunner
{
    public static int Run(string channel, string conformanceFile, int runs, bool verbose)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["CONDA_OVERRIDE_GLIBC"] = "2.17", ["CONDA_OVERRIDE_CUDA"] = "10.0" };
        var sources = new Dictionary<string, ChannelPackageSource>(StringComparer.Ordinal);
        var agreed = 0;
        var total = 0;
        double kraitSeconds = 0, peerSeconds = 0;
        foreach (var line in File.ReadLines(conformanceFile))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var subdir = root.GetProperty("subdir").GetString()!;
            if (!sources.TryGetValue(subdir, out var source))
            {
                source = new ChannelPackageSource([Channel.Parse(Path.GetFullPath(channel))], subdir);
                sources[subdir] = source;
            }

            var specs = root.GetProperty("specs").EnumerateArray().Select(s => s.GetString()!).ToList();
            var request = new SolveRequest(PipDependency.Requested([.. specs.Select(MatchSpec.Parse)], source), VirtualPackageDetector.Detect(subdir, name => overrides.GetValueOrDefault(name)));
            SolveResult result = CondaSolver.Solve(request, source);
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                result = CondaSolver.Solve(request, source);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var median = times.Count > 0 ? times[times.Count / 2] : 0;
            var expected = root.GetProperty("expected");
            var want = expected.ValueKind == JsonValueKind.Array ? expected.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal) : null;
            var got = result.IsSatisfiable ? result.Records.Select(r => $"{r.Name}-{r.Version}-{r.Build}").ToHashSet(StringComparer.Ordinal) : null;
            var same = want is null ? got is null : got is not null && want.SetEquals(got);
            total++;
            agreed += same ? 1 : 0;
            kraitSeconds += median / 1000;
            peerSeconds += root.GetProperty("peer_seconds").GetDouble();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(same ? "same" : "DIFF")} {median,7:F1} ms  {string.Join(' ', specs)}"));
            if (!same && want is not null && got is not null)
            {
                var missing = want.Except(got).Order(StringComparer.Ordinal).ToList();
                var extra = got.Except(want).Order(StringComparer.Ordinal).ToList();
                Console.WriteLine($"     {missing.Count} differ of {want.Count}: krait " + string.Join(' ', verbose ? extra : extra.Take(8)));
                Console.WriteLine("                      peer  " + string.Join(' ', verbose ? missing : missing.Take(8)));
            }
            else if (!same)
            {
                Console.WriteLine($"     krait: {(got is null ? result.Explanation : "solved")}; peer: {(want is null ? "unsatisfiable" : "solved")}");
            }
        }

        foreach (var source in sources.Values)
        {
            source.Dispose();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{agreed} of {total} identical; solve on loaded records {kraitSeconds:F2} s in all, peer recorded {peerSeconds:F0} s ({peerSeconds / Math.Max(kraitSeconds, 1e-9):F0}x)"));
        return agreed == total ? 0 : 1;
    }
}
