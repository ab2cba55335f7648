using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// The tools the test recipes ask for, as conda packages over this machine's Debian tools: <c>gcc_linux-64</c> is,
/// as on conda-forge, an activation package (its <c>activate.d</c> script sets <c>CC</c>, here to the system's gcc),
/// and <c>make</c> runs the system's make. Made once per test class.
/// </summary>
public sealed class BuildToolsChannel : IDisposable
{
    private readonly TempFolder folder = new TempFolder("build-tools").Create();

    public BuildToolsChannel()
    {
        var gcc = RequiredTool.Find("gcc", "apt-get install gcc");
        var make = RequiredTool.Find("make", "apt-get install make");
        RequiredTool.Find("patch", "apt-get install patch");
        var subdir = Path.Combine(Channel, "linux-64");
        new PackageBuilder("gcc_linux-64", "13.0", "h0_krait_test") { Subdir = "linux-64", Timestamp = 1_700_000_000_000 }
            .Add(PackageFile.Text("etc/conda/activate.d/activate-gcc_linux-64.sh", $"export CC='{gcc}'\n"))
            .WriteTo(subdir);
        new PackageBuilder("make", "4.3", "h0_krait_test") { Subdir = "linux-64", Timestamp = 1_700_000_000_000 }
            .Add(PackageFile.Text("bin/make", $"#!/bin/sh\nexec '{make}' \"$@\"\n", executable: true))
            .WriteTo(subdir);
        var index = KraitProcess.Run(["index", Channel]);
        if (index.ExitCode != 0)
        {
            throw new InvalidOperationException($"krait index failed: {index.StandardError}");
        }
    }

    public string Channel => folder.Combine("channel");

    public void Dispose() => folder.Dispose();
}
