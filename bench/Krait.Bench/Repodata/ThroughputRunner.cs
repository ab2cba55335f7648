using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Krait.Repodata.Parsing;

namespace Krait.Bench.Repodata;

/// <summary>
/// Whole-parse throughput on one core: Krait's parser beside plain JsonSerializer on the same bytes,
/// median of several runs, with the bytes allocated per record.
/// </summary>
public static class ThroughputRunner
{
    public static void Run(IReadOnlyList<string> files, int runs)
    {
        Console.WriteLine($"{"file",-48} {"MB",8} {"records",9} | {"krait MB/s",10} {"B/rec",7} | {"serializer MB/s",15} {"B/rec",7} | {"speedup",7}");
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var records = 0;
            var pauseBefore = GC.GetTotalPauseDuration();
            var gen2Before = GC.CollectionCount(2);
            var krait = Measure(runs, () =>
            {
                var repodata = RepodataParser.Parse(bytes, file);
                records = repodata.TarBz2Packages.Count + repodata.CondaPackages.Count;
            });
            Console.Error.WriteLine($"  krait: GC pause {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / (runs + 1):F0} ms/run, gen2 {(GC.CollectionCount(2) - gen2Before) / (double)(runs + 1):F1}/run, {krait.Seconds * 1000:F0} ms/run");
            var serializer = Measure(runs, () => JsonSerializer.Deserialize(bytes, BaselineContext.Default.BaselineRepodata));
            var megabytes = bytes.Length / 1e6;
            var kraitRate = megabytes / krait.Seconds;
            var serializerRate = megabytes / serializer.Seconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{Shorten(file),-48} {megabytes,8:F1} {records,9} | {kraitRate,10:F0} {krait.Allocated / Math.Max(1, records),7} | {serializerRate,15:F0} {serializer.Allocated / Math.Max(1, records),7} | {kraitRate / serializerRate,6:F2}x"));
        }
    }

    /// <summary>
    /// Runs the action <paramref name="runs"/> times after a warm-up long enough for tiered compilation to reach
    /// its optimised code (steady state); returns the median time and allocation.
    /// </summary>
    public static (double Seconds, long Allocated) Measure(int runs, Action action)
    {
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 40 && warmUp.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            action();
        }

        var times = new List<double>(runs);
        var allocations = new List<long>(runs);
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            action();
            clock.Stop();
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        allocations.Sort();
        return (times[runs / 2], allocations[runs / 2]);
    }

    private static string Shorten(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        return string.Join('/', parts.Skip(Math.Max(0, parts.Length - 3)));
    }
}
