using System.Diagnostics;
using System.Globalization;
using Krait.Conda.Channels;
using Krait.Conda.Specs;
using Krait.Configuration.VirtualPackages;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Bench.Solve;

/// <summary>
/// One solve in process, split into its phases: opening and indexing the repodata; the first solve, which also
/// parses the records of every name it reaches; and the same solve again on the loaded records (the solve alone).
/// Medians of several runs, each from a fresh source; peak working set.
/// </summary>
public static class ScaleRunner
{
    public static void Run(string channels, string platform, IReadOnlyList<string> specs, int runs)
    {
        var request = new SolveRequest([.. specs.Select(MatchSpec.Parse)], VirtualPackageDetector.Detect(platform));
        var index = new List<double>();
        var cold = new List<double>();
        var warm = new List<double>();
        var packages = 0;
        var statistics = string.Empty;
        for (var i = 0; i <= runs; i++)
        {
            var clock = Stopwatch.StartNew();
            using var source = new ChannelPackageSource([.. channels.Split('+').Select(c => Channel.Parse(Path.GetFullPath(c)))], platform);
            source.CandidatesOf("python");
            var indexed = clock.Elapsed.TotalMilliseconds;
            var result = CondaSolver.Solve(request, source);
            var solved = clock.Elapsed.TotalMilliseconds;
            if (!result.IsSatisfiable)
            {
                throw new InvalidOperationException(result.Explanation);
            }

            var again = Stopwatch.StartNew();
            CondaSolver.Solve(request, source);
            var loadedSolve = again.Elapsed.TotalMilliseconds;
            packages = result.Records.Count;
            statistics = result.Statistics;
            if (i > 0)
            {
                index.Add(indexed);
                cold.Add(solved - indexed);
                warm.Add(loadedSolve);
            }
        }

        index.Sort();
        cold.Sort();
        warm.Sort();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(' ', specs)} on {channels} ({platform}): {packages} packages; open+index {index[runs / 2]:F0} ms, first solve (parsing the names it reaches) {cold[runs / 2]:F0} ms, solve on loaded records {warm[runs / 2]:F0} ms (medians of {runs}); peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; {statistics}"));
    }
}
