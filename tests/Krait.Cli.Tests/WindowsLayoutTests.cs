using System.Text.Json;
using Krait.Conda.Records;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait create --platform win-64</c> into a folder on this (Linux) machine lays the environment out as conda does
/// on Windows: <c>noarch: python</c> packages in <c>Lib/site-packages</c> and <c>Scripts</c>, entry points as
/// <c>Scripts/NAME-script.py</c> with a launcher, a real win-64 package's <c>Library/bin</c> as shipped, paths that
/// differ only in case reported as one, and nothing run that only Windows can run.
/// </summary>
public sealed class WindowsLayoutTests : IDisposable
{
    private static readonly string ZlibFormats = RepoPaths.Channel("zlib-formats");
    private readonly TempFolder scratch = new TempFolder("windows-layout").Create();
    private readonly Dictionary<string, string> environment;

    public WindowsLayoutTests() => environment = new()
    {
        ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"),
        ["CONDA_ENVS_DIRS"] = scratch.Combine("envs"),
    };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_noarch_python_package_gets_the_windows_layout_and_launchers()
    {
        var channel = BuildChannel();
        var prefix = scratch.Combine("envs", "win");
        var created = KraitProcess.Run(["create", "-y", "-p", prefix, "--platform", "win-64", "-c", channel, "--override-channels", "wintool"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);

        Assert.True(File.Exists(Path.Combine(prefix, "Lib", "site-packages", "wintool", "cli.py")));
        Assert.True(File.Exists(Path.Combine(prefix, "Scripts", "wintool-helper.py")));
        var script = File.ReadAllText(Path.Combine(prefix, "Scripts", "wintool-script.py"));
        Assert.StartsWith($"#!{Path.Combine(prefix, "python.exe")}\n", script, StringComparison.Ordinal);
        Assert.Contains("from wintool.cli import main", script, StringComparison.Ordinal);
        Assert.Equal("@echo off\r\n\"%~dp0..\\python.exe\" \"%~dp0wintool-script.py\" %*\r\n", File.ReadAllText(Path.Combine(prefix, "Scripts", "wintool.bat")));
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "wintool")));

        // conda-meta lists them with forward slashes, as conda writes it on Windows; no .pyc: a win-64 python cannot run here.
        var record = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "wintool-*.json").Single())).RootElement;
        var files = record.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Equal(["Lib/site-packages/wintool/__init__.py", "Lib/site-packages/wintool/cli.py", "Scripts/wintool-helper.py", "Scripts/wintool-script.py", "Scripts/wintool.bat"], files.Order(StringComparer.Ordinal));
        Assert.Contains("cannot run a win-64 python", created.StandardError, StringComparison.Ordinal);
        Assert.Equal("win-64", JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "python-*.json").Single())).RootElement.GetProperty("subdir").GetString());

        // The link script a Windows package ships is a .bat: named, not run.
        Assert.Contains("link scripts not run: they are win-64 scripts", created.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(prefix, "post-link-ran")));

        // Removing it takes every file away again, launchers included.
        Assert.Equal(0, KraitProcess.Run(["remove", "-y", "-p", prefix, "wintool"], environment).ExitCode);
        Assert.Equal([".python-post-link.bat"], Directory.GetFiles(Path.Combine(prefix, "Scripts")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_real_win_64_package_is_linked_as_shipped_and_case_only_differences_clash()
    {
        var prefix = scratch.Combine("envs", "zlib");
        var created = KraitProcess.Run(["create", "-y", "-p", prefix, "--platform", "win-64", "-c", ZlibFormats, "--override-channels", "zlib=1.2.11", "--no-deps"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "Library", "bin", "zlib.dll")));
        Assert.True(File.Exists(Path.Combine(prefix, "Library", "include", "zlib.h")));
        var list = JsonDocument.Parse(KraitProcess.Run(["list", "-p", prefix, "--json"], environment).StandardOutput).RootElement;
        Assert.Equal("win-64", Assert.Single(list.EnumerateArray()).GetProperty("platform").GetString());
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", prefix], environment).ExitCode);

        var channel = BuildChannel();
        var clash = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("envs", "clash"), "--platform", "win-64", "-c", channel, "--override-channels", "upper", "lower"], environment);
        Assert.True(clash.ExitCode == 0, clash.StandardError);
        Assert.Contains("ClobberWarning", clash.StandardError, StringComparison.Ordinal);
        Assert.Contains("path: 'Library/share/Readme.txt'", clash.StandardError, StringComparison.OrdinalIgnoreCase);

        // The same two packages on Linux are two files, as they are there.
        var linux = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("envs", "linux"), "--platform", "linux-64", "-c", channel, "--override-channels", "upper", "lower"], environment);
        Assert.True(linux.ExitCode == 0, linux.StandardError);
        Assert.DoesNotContain("ClobberWarning", linux.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_past_the_windows_limit_are_named()
    {
        var channel = BuildChannel();
        var prefix = scratch.Combine("envs", new string('p', 150));
        var created = KraitProcess.Run(["create", "-y", "-p", prefix, "--platform", "win-64", "-c", channel, "--override-channels", "deep"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("1 path(s) of this Windows environment are longer than Windows' 260-character limit", created.StandardError, StringComparison.Ordinal);
        Assert.Contains("LongPathsEnabled", created.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A win-64 python stand-in, a noarch python tool with an entry point, and packages that clash only in case.</summary>
    private string BuildChannel()
    {
        var channel = scratch.Combine("channel");
        if (Directory.Exists(channel))
        {
            return channel;
        }

        var python = new PackageBuilder("python", "3.12.1", "h0_win") { Subdir = "win-64", Timestamp = 1_700_000_000_000 };
        python.Add(PackageFile.Binary("python.exe", [.. "MZ"u8, 0, 0]));
        python.Add(PackageFile.Text("Lib/os.py", "# stand-in\n"));
        python.Add(PackageFile.Text("Scripts/.python-post-link.bat", "@echo off\r\necho ran > \"%PREFIX%\\post-link-ran\"\r\n"));
        python.WriteTo(Path.Combine(channel, "win-64"));
        var wintool = new PackageBuilder("wintool", "1.0", "pyh_0") { NoArch = NoArchType.Python, Timestamp = 1_700_000_000_000 };
        wintool.Depends.Add("python");
        wintool.EntryPoints.Add("wintool = wintool.cli:main");
        wintool.Add(PackageFile.Text("site-packages/wintool/__init__.py", string.Empty));
        wintool.Add(PackageFile.Text("site-packages/wintool/cli.py", "def main():\n    print('wintool')\n"));
        wintool.Add(PackageFile.Text("python-scripts/wintool-helper.py", "print('helper')\n"));
        wintool.WriteTo(Path.Combine(channel, "noarch"));
        foreach (var (name, path) in new[] { ("upper", "Library/share/Readme.txt"), ("lower", "library/share/README.TXT") })
        {
            new PackageBuilder(name, "1.0", "0") { Timestamp = 1_700_000_000_000 }.Add(PackageFile.Text(path, name)).WriteTo(Path.Combine(channel, "noarch"));
        }

        new PackageBuilder("deep", "1.0", "0") { Timestamp = 1_700_000_000_000 }.Add(PackageFile.Text($"Library/share/{new string('d', 70)}.txt", "deep")).WriteTo(Path.Combine(channel, "noarch"));
        var index = KraitProcess.Run(["index", channel]);
        Assert.True(index.ExitCode == 0, index.StandardError);
        return channel;
    }
}
