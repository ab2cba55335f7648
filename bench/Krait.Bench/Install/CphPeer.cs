using System.Diagnostics;
using System.Text.Json;

namespace Krait.Bench.Install;

/// <summary>
/// conda-package-handling, the peer of the extraction benchmark, two ways: its <c>extract</c> function timed inside
/// one python process (<c>bench/cph_extract.py</c>, like for like with Krait in process), and <c>cph x</c> as a whole
/// command per archive (what a user runs; python's start-up included).
/// </summary>
public sealed class CphPeer(string python, string helperScript, string cph)
{
    /// <summary>The peer, or null (with the reason on stderr) when conda-package-handling is not installed.</summary>
    public static CphPeer? Find(string helperScript)
    {
        var python = "/usr/bin/python3";
        var cph = "/usr/bin/cph";
        if (!File.Exists(python) || !File.Exists(cph) || Run(python, ["-c", "import conda_package_handling"]) != 0)
        {
            Console.Error.WriteLine("peer missing: conda-package-handling (apt-get install -y conda-package-handling); Krait alone is measured");
            return null;
        }

        return new CphPeer(python, helperScript, cph);
    }

    /// <summary>Seconds inside the extract calls, and the archives it could not extract.</summary>
    public (double Seconds, IReadOnlyList<string> Failed) ExtractInProcess(string destinationRoot, IReadOnlyList<string> archives)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(helperScript);
        start.ArgumentList.Add(destinationRoot);
        foreach (var archive in archives)
        {
            start.ArgumentList.Add(archive);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{helperScript} failed with exit code {process.ExitCode}");
        }

        using var result = JsonDocument.Parse(output);
        var failed = result.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()!).ToList();
        return (result.RootElement.GetProperty("seconds").GetDouble(), failed);
    }

    /// <summary>Wall-clock seconds of one <c>cph x ARCHIVE --dest DIR</c> per archive.</summary>
    public double ExtractByCommand(string destinationRoot, IReadOnlyList<string> archives)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < archives.Count; i++)
        {
            var exit = Run(cph, ["x", archives[i], "--dest", ExtractRunner.Destination(destinationRoot, i)]);
            if (exit != 0)
            {
                throw new InvalidOperationException($"cph x {archives[i]} failed with exit code {exit}");
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static int Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(); // both pipes drained at once, so neither can fill and block
        process.StandardOutput.ReadToEnd();
        error.Wait();
        process.WaitForExit();
        return process.ExitCode;
    }
}
