using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Krait.Bench.Solve;

/// <summary>
/// Times whole <c>krait create --dry-run</c> commands (process start, repodata loading and solving) for every case of
/// a conformance file (solves.jsonl, solves-large.jsonl), median of several runs, beside the wall time recorded for
/// micromamba 2.8.1 in the same file (recorded on another 2-core machine, not in this run), and the sums of both.
/// </summary>
public static class SolveRunner
{
    /// <summary>The channel name solves-large.jsonl uses for the generator's large preset with seed 42.</summary>
    public const string GeneratedLarge = "generated-large-seed42";

    /// <param name="generatedLarge">Where the generated large channel is (for <see cref="GeneratedLarge"/>), if the file uses it.</param>
    public static void Run(string krait, string conformanceFile, string channelsDirectory, int runs, string? generatedLarge = null)
    {
        var kraitTimes = new List<double>();
        var peerTimes = new List<double>();
        foreach (var line in File.ReadLines(conformanceFile))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var arguments = new List<string> { "create", "-p", Path.Combine(Path.GetTempPath(), "krait-bench-env"), "--dry-run", "--json", "--override-channels", "--platform", root.GetProperty("subdir").GetString()! };
            foreach (var channel in root.GetProperty("channel").GetString()!.Split('+'))
            {
                arguments.Add("-c");
                arguments.Add(channel == GeneratedLarge
                    ? Path.GetFullPath(generatedLarge ?? throw new ArgumentException($"{conformanceFile} uses {GeneratedLarge}: say where it was generated"))
                    : Path.Combine(channelsDirectory, channel));
            }

            var specs = root.GetProperty("specs").EnumerateArray().Select(s => s.GetString()!).ToList();
            arguments.AddRange(specs);
            var times = new List<double>();
            var exitCode = 0;
            for (var i = 0; i <= runs; i++)
            {
                var start = new ProcessStartInfo(krait) { RedirectStandardOutput = true, RedirectStandardError = true };
                arguments.ForEach(start.ArgumentList.Add);
                start.Environment["CONDA_OVERRIDE_GLIBC"] = "2.17";
                start.Environment["CONDA_OVERRIDE_CUDA"] = "10.0";
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(start)!;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                clock.Stop();
                exitCode = process.ExitCode;
                if (i > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            var median = times[times.Count / 2];
            var peer = root.GetProperty("peer_seconds").GetDouble() * 1000;
            kraitTimes.Add(median);
            peerTimes.Add(peer);
            var label = $"{root.GetProperty("channel").GetString()} {string.Join(' ', specs)}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{median,8:F1} ms  (micromamba recorded {peer,6:F0} ms, {peer / median,5:F1}x)  exit {exitCode}  {(label.Length > 70 ? label[..70] + "…" : label)}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sum over {kraitTimes.Count} solves: krait {kraitTimes.Sum() / 1000:F2} s, micromamba (recorded) {peerTimes.Sum() / 1000:F1} s ({peerTimes.Sum() / kraitTimes.Sum():F0}x)"));
        kraitTimes.Sort();
        peerTimes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median over {kraitTimes.Count} solves: krait {kraitTimes[kraitTimes.Count / 2]:F1} ms, micromamba (recorded) {peerTimes[peerTimes.Count / 2]:F0} ms"));
    }
}
