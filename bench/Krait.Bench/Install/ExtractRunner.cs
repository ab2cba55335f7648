using System.Diagnostics;
using System.Globalization;
using Krait.Packages;
using Krait.Packages.Bzip2;

namespace Krait.Bench.Install;

/// <summary>
/// Extraction throughput: Krait's <see cref="PackageExtractor"/> in process beside conda-package-handling on the same
/// archives in the same run (alternating, warm page cache, a fresh destination each time), one batch per format.
/// Reports MB/s of unpacked payload and of archive, and the ratio to the peer.
/// </summary>
/// <remarks>
/// usage: <c>krait-bench extract [--runs N] --work DIR [--synthetic DIR] [--batch LABEL ARCHIVE...]...</c>;
/// <c>--synthetic</c> adds the ~40 MB <see cref="SyntheticPackage"/> (made there on first use) as its own batches.
/// </remarks>
public static class ExtractRunner
{
    public static void Run(IReadOnlyList<string> arguments, int runs)
    {
        var (work, batches) = ParseArguments(arguments);
        var peer = CphPeer.Find(Path.Combine(AppContext.BaseDirectory, "cph_extract.py"));
        Console.WriteLine($"krait's bzip2 decoder: {Bzip2Decoder.Description}");
        Console.WriteLine($"{"input",-26} {"files",6} {"unpacked",9} {"archive",8} | {"krait ms",9} {"MB/s",6} {"arch MB/s",9} | {"cph ms",8} {"MB/s",6} {"ratio",6} | {"cph x ms",9} {"ratio",6}");
        foreach (var (label, all) in batches)
        {
            foreach (var group in all.GroupBy(Format).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Measure($"{label} {group.Key}", [.. group], work, peer, runs);
            }
        }
    }

    /// <summary>Where archive number <paramref name="index"/> of a batch is extracted under <paramref name="root"/>.</summary>
    public static string Destination(string root, int index) => Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"d{index:D3}"));

    private static void Measure(string label, List<string> archives, string work, CphPeer? peer, int runs)
    {
        var (usable, files, unpacked) = Check(archives, work, peer);
        var archiveBytes = usable.Sum(a => new FileInfo(a).Length);
        label = string.Create(CultureInfo.InvariantCulture, $"{label} ({usable.Count})");
        var krait = new List<double>();
        var inProcess = new List<double>();
        var byCommand = new List<double>();

        // Run 0 warms the page cache, the JIT and python's imports; it is not counted.
        for (var run = 0; run <= runs; run++)
        {
            var seconds = Timed(work, root =>
            {
                GC.Collect();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < usable.Count; i++)
                {
                    PackageExtractor.Extract(usable[i], Destination(root, i));
                }

                return clock.Elapsed.TotalSeconds;
            });
            var cphSeconds = peer is null ? double.NaN : Timed(work, root => peer.ExtractInProcess(root, usable).Seconds);
            var cphCommand = peer is null ? double.NaN : Timed(work, root => peer.ExtractByCommand(root, usable));
            if (run > 0)
            {
                krait.Add(seconds);
                inProcess.Add(cphSeconds);
                byCommand.Add(cphCommand);
            }
        }

        var k = Median(krait);
        var c = Median(inProcess);
        var x = Median(byCommand);
        var megabytes = unpacked / 1e6;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label,-26} {files,6} {megabytes,6:F2} MB {archiveBytes / 1e6,5:F2} MB | {k * 1000,9:F1} {megabytes / k,6:F0} {archiveBytes / 1e6 / k,9:F0} | {c * 1000,8:F1} {megabytes / c,6:F0} {c / k,5:F2}x | {x * 1000,9:F0} {x / k,5:F1}x"));
    }

    /// <summary>
    /// Extracts every archive once with both tools and keeps those both can (some shared archives are hostile on
    /// purpose); returns them with the regular files and bytes Krait unpacked from them.
    /// </summary>
    private static (List<string> Usable, int Files, long Bytes) Check(List<string> archives, string work, CphPeer? peer)
    {
        var usable = new List<string>();
        var root = Fresh(work, "check-krait");
        for (var i = 0; i < archives.Count; i++)
        {
            try
            {
                PackageExtractor.Extract(archives[i], Destination(root, i));
                usable.Add(archives[i]);
            }
            catch (HostileArchiveException e)
            {
                Console.Error.WriteLine($"  left out (Krait refuses it): {e.Message}");
            }
        }

        if (peer is not null)
        {
            var failed = peer.ExtractInProcess(Fresh(work, "check-cph"), archives).Failed;
            foreach (var failure in failed)
            {
                Console.Error.WriteLine($"  left out (cph fails): {failure}");
                usable.RemoveAll(a => failure.StartsWith(a + ":", StringComparison.Ordinal));
            }
        }

        var payload = new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .ToList();
        Delete(Path.Combine(work, "check-krait"));
        Delete(Path.Combine(work, "check-cph"));
        return (usable, payload.Count, payload.Sum(f => f.Length));
    }

    /// <summary>Runs <paramref name="extract"/> into a fresh folder, then removes it and flushes the writes outside the timing.</summary>
    private static double Timed(string work, Func<string, double> extract)
    {
        var root = Fresh(work, "run");
        var seconds = extract(root);
        Delete(root);
        Sync();
        return seconds;
    }

    private static string Fresh(string work, string name)
    {
        var root = Path.Combine(Path.GetFullPath(work), name);
        Delete(root);
        Directory.CreateDirectory(root);
        return root;
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Writes back dirty pages now, so that one run's writeback does not land in the next run's timing.</summary>
    private static void Sync()
    {
        using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
        sync?.WaitForExit();
    }

    private static string Format(string archive) =>
        archive.EndsWith(".tar.bz2", StringComparison.Ordinal) ? ".tar.bz2" : Path.GetExtension(archive);

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values[values.Count / 2];
    }

    private static (string Work, List<(string Label, List<string> Archives)> Batches) ParseArguments(IReadOnlyList<string> arguments)
    {
        string? work = null;
        var batches = new List<(string Label, List<string> Archives)>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--work" when i + 1 < arguments.Count:
                    work = arguments[++i];
                    break;
                case "--synthetic" when i + 1 < arguments.Count:
                    batches.Add(("synthetic", [.. SyntheticPackage.Ensure(arguments[++i])]));
                    break;
                case "--batch" when i + 1 < arguments.Count:
                    batches.Add((arguments[++i], []));
                    break;
                case var archive when batches.Count > 0:
                    batches[^1].Archives.Add(Path.GetFullPath(archive));
                    break;
                default:
                    throw new ArgumentException($"unexpected '{arguments[i]}': usage: krait-bench extract [--runs N] --work DIR [--synthetic DIR] [--batch LABEL ARCHIVE...]...");
            }
        }

        return (work ?? throw new ArgumentException("--work DIR is required"), batches);
    }
}
