using System.Diagnostics;
using System.Globalization;
using Krait.Conda;
using Krait.Repodata;
using Krait.Solve;

namespace Krait.Bench.Solve;

/// <summary>
/// One solve in process, split into its phases: opening and indexing the repodata, then solving (which parses the
/// records of the names it reaches). Medians of several runs, each from a fresh source; peak working set.
/// </summary>
public static class ScaleRunner
{
    public static void Run(string channel, string platform, IReadOnlyList<string> specs, int runs)
    {
        var request = new SolveRequest([.. specs.Select(MatchSpec.Parse)], VirtualPackageDetector.Detect(platform));
        var index = new List<double>();
        var solve = new List<double>();
        var packages = 0;
        string statistics = string.Empty;
        for (var i = 0; i <= runs; i++)
        {
            var clock = Stopwatch.StartNew();
            using var source = new ChannelPackageSource([Channel.Parse(channel)], platform);
            source.CandidatesOf("python");
            var indexed = clock.Elapsed.TotalMilliseconds;
            var result = CondaSolver.Solve(request, source);
            var solved = clock.Elapsed.TotalMilliseconds - indexed;
            if (!result.IsSatisfiable)
            {
                throw new InvalidOperationException(result.Explanation);
            }

            packages = result.Records.Count;
            statistics = result.Statistics;
            if (i > 0)
            {
                index.Add(indexed);
                solve.Add(solved);
            }
        }

        index.Sort();
        solve.Sort();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(' ', specs)} on {channel} ({platform}): {packages} packages; open+index {index[runs / 2]:F0} ms, solve {solve[runs / 2]:F0} ms (median of {runs}); peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; {statistics}"));
    }
}
