using System.Diagnostics;
using System.Globalization;
using Krait.Repodata.Parsing;

namespace Krait.Bench.Repodata;

/// <summary>Time to open a repodata file and materialise the records of one name (the whole call), median of several runs.</summary>
public static class LazyRunner
{
    public static void Run(string file, IReadOnlyList<string> names, int runs)
    {
        var megabytes = new FileInfo(file).Length / 1e6;
        foreach (var name in names)
        {
            var times = new List<double>(runs);
            var count = 0;
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                using (var lazy = LazyRepodata.Open(file))
                {
                    count = lazy.RecordsOf(name).Count;
                }

                clock.Stop();
                if (i > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"lazy {name,-16} {count,6} records from {megabytes:F0} MB: median {times[times.Count / 2],7:F1} ms (min {times[0]:F1}, max {times[^1]:F1}, {runs} runs)"));
        }
    }
}
