using System.Diagnostics;
using Krait.Conda.Records;
using Krait.Packages;
using Krait.Repodata.Writing;
using Krait.TestSupport;
using Xunit.Abstractions;

namespace Krait.Cli.Tests;

/// <summary>
/// Kills a real <c>krait install</c> at random moments, many times, and checks after each kill that the next krait
/// command leaves the environment exactly in its old or its new state: every file, link and conda-meta record.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 30;
    private static readonly string[] Names = ["bulk-a", "bulk-b", "bulk-c"];

    private readonly TempFolder scratch = new("crash");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_killed_install_leaves_the_old_or_the_new_environment()
    {
        var channel = BuildChannel();
        var home = Path.Combine(scratch, "home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") };
        var prefix = Path.Combine(scratch, "env");
        string[] Install(string version) => ["install", "-p", prefix, "-c", channel, "--override-channels", "-y", "-q", "--platform", "linux-64", .. Names.Select(n => $"{n}={version}")];

        var created = KraitProcess.Run(["create", "-p", prefix, "-c", channel, "--override-channels", "-y", "-q", "--platform", "linux-64", .. Names.Select(n => $"{n}=1.0")], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        var states = new Dictionary<string, SortedDictionary<string, string>> { ["1.0"] = Snapshot(prefix) };

        // One full run gives the new state and the timings the kills are spread over.
        var (whole, transaction) = TimedRun(Install("2.0"), home, environment, prefix);
        states["2.0"] = Snapshot(prefix);
        Assert.NotEqual(states["1.0"], states["2.0"]);

        var current = "2.0";
        var interrupted = 0;
        var random = new Random(20261201);
        for (var kill = 0; kill < Kills; kill++)
        {
            var target = current == "1.0" ? "2.0" : "1.0";
            using var process = KraitProcess.Start(Install(target), home, environment);
            if (kill % 2 == 0)
            {
                // Anywhere in the command: start-up, solving, extraction, the transaction, the end.
                Thread.Sleep(TimeSpan.FromMilliseconds(random.NextDouble() * whole.TotalMilliseconds));
            }
            else
            {
                // Inside the transaction: once its journal exists, at a random point of its usual length.
                WaitFor(() => Directory.Exists(Path.Combine(prefix, ".krait-transaction")) || process.HasExited);
                Thread.Sleep(TimeSpan.FromMilliseconds(random.NextDouble() * transaction.TotalMilliseconds));
            }

            if (Directory.Exists(Path.Combine(prefix, ".krait-transaction")))
            {
                interrupted++;
            }

            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();

            // The next command repairs; then the prefix must be one of the two whole states.
            var list = KraitProcess.Run(["list", "-p", prefix, "--json"], environment);
            Assert.True(list.ExitCode == 0, list.StandardError);
            var now = Snapshot(prefix);
            var state = states.FirstOrDefault(s => Same(s.Value, now)).Key;
            Assert.True(state is not null, $"kill {kill}: the environment is neither the old nor the new one:\n{Difference(states[current], now)}");
            Assert.False(Directory.Exists(Path.Combine(prefix, ".krait-transaction")));
            var history = File.ReadAllText(Path.Combine(prefix, "conda-meta", "history"));
            Assert.EndsWith($"bulk-c-{state}-0\n# update specs: ['bulk-a={state}', 'bulk-b={state}', 'bulk-c={state}']\n", history.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            current = state!;
        }

        output.WriteLine($"{Kills} kills, {interrupted} inside a transaction; whole command {whole.TotalMilliseconds:F0} ms, transaction {transaction.TotalMilliseconds:F0} ms");
        Assert.True(interrupted >= Kills / 4, $"only {interrupted} of {Kills} kills landed inside a transaction: the test did not exercise recovery");
    }

    [Fact]
    public void Ctrl_c_during_an_install_rolls_it_back_at_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var channel = BuildChannel();
        var home = Path.Combine(scratch, "home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") };
        var prefix = Path.Combine(scratch, "env");
        var created = KraitProcess.Run(["create", "-p", prefix, "-c", channel, "--override-channels", "-y", "-q", "--platform", "linux-64", .. Names.Select(n => $"{n}=1.0")], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        var before = Snapshot(prefix);

        var interrupted = 0;
        for (var attempt = 0; attempt < 10 && interrupted < 3; attempt++)
        {
            using var process = KraitProcess.Start(["install", "-p", prefix, "-c", channel, "--override-channels", "-y", "-q", "--platform", "linux-64", .. Names.Select(n => $"{n}=2.0")], home, environment, interruptible: true);
            WaitFor(() => Directory.Exists(Path.Combine(prefix, ".krait-transaction")) || process.HasExited, spin: true);
            Signals.Interrupt(process.Id);

            process.WaitForExit();

            // No repair by a later command: the interrupted krait itself left no journal behind.
            Assert.False(Directory.Exists(Path.Combine(prefix, ".krait-transaction")));
            if (process.ExitCode == 0)
            {
                // It finished before the signal arrived: go back for the next attempt.
                var back = KraitProcess.Run(["install", "-p", prefix, "-c", channel, "--override-channels", "-y", "-q", "--platform", "linux-64", .. Names.Select(n => $"{n}=1.0")], environment);
                Assert.True(back.ExitCode == 0, back.StandardError);
                continue;
            }

            Assert.Equal(1, process.ExitCode);
            Assert.Equal(before, Snapshot(prefix));
            interrupted++;
        }

        Assert.True(interrupted > 0, "every install finished before Ctrl-C reached it");
    }

    /// <summary>Runs the command to the end, timing it and the life of its journal.</summary>
    private static (TimeSpan Whole, TimeSpan Transaction) TimedRun(string[] arguments, string home, Dictionary<string, string> environment, string prefix)
    {
        var journal = Path.Combine(prefix, ".krait-transaction");
        var clock = Stopwatch.StartNew();
        using var process = KraitProcess.Start(arguments, home, environment);
        WaitFor(() => Directory.Exists(journal) || process.HasExited);
        var begin = clock.Elapsed;
        WaitFor(() => !Directory.Exists(journal) || process.HasExited);
        var end = clock.Elapsed;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return (clock.Elapsed, end - begin);
    }

    /// <param name="spin">Poll without sleeping, for a window of a few milliseconds.</param>
    private static void WaitFor(Func<bool> condition, bool spin = false)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException("krait did not get there in a minute");
            }

            if (spin)
            {
                Thread.SpinWait(100);
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// Three packages in two versions, each with a few hundred files: some only in one version, the rest changed,
    /// with the prefix placeholder in text files and a symlink, so that an update moves, replaces and rewrites.
    /// </summary>
    private string BuildChannel()
    {
        var channel = Path.Combine(scratch, "channel");
        var subdir = Path.Combine(channel, "linux-64");
        var records = new List<PackageRecord>();
        foreach (var name in Names)
        {
            foreach (var (version, first) in new[] { ("1.0", 0), ("2.0", 100) })
            {
                var builder = new PackageBuilder(name, version, "0") { Subdir = "linux-64", Timestamp = 1_700_000_000_000 };
                for (var i = first; i < first + 400; i++)
                {
                    builder.Add(PackageFile.Text($"share/{name}/file-{i:D4}.txt", $"{name} {version} file {i}\nprefix={PackageBuilder.PrefixPlaceholder}\n{new string('x', 512)}\n"));
                }

                builder.Add(PackageFile.Text($"bin/{name}", $"#!/bin/sh\necho {name} {version}\n", executable: true));
                builder.Add(PackageFile.Symlink($"share/{name}/latest.txt", $"file-{first:D4}.txt"));
                var built = builder.WriteTo(subdir);
                records.Add(new PackageRecord
                {
                    Name = name,
                    Version = version,
                    Build = "0",
                    FileName = built.FileName,
                    Subdir = "linux-64",
                    Sha256 = built.Sha256,
                    Md5 = built.Md5,
                    Size = built.Size,
                    Timestamp = builder.Timestamp,
                });
            }
        }

        RepodataWriter.WriteFile(Path.Combine(subdir, "repodata.json"), new RepoData { Subdir = "linux-64", CondaPackages = records });
        Directory.CreateDirectory(Path.Combine(channel, "noarch"));
        RepodataWriter.WriteFile(Path.Combine(channel, "noarch", "repodata.json"), new RepoData { Subdir = "noarch" });
        return channel;
    }

    /// <summary>The prefix without its history (which grows with every command) and Krait's lock.</summary>
    private static SortedDictionary<string, string> Snapshot(string prefix) => TreeSnapshot.Take(prefix, "conda-meta/history", "conda-meta/.krait.lock");

    private static bool Same(SortedDictionary<string, string> a, SortedDictionary<string, string> b) => a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);

    private static string Difference(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual) =>
        string.Join('\n', expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k)).Take(20)
            .Select(k => $"  {k}: {expected.GetValueOrDefault(k) ?? "(absent)"} / {actual.GetValueOrDefault(k) ?? "(absent)"}"));
}
