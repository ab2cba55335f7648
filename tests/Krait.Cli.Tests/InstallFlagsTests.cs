using System.Text.Json;
using Krait.Files;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>conda's create/install flags on the examples channel: --no-deps, --only-deps, --copy, --freeze-installed, --force-reinstall.</summary>
public sealed class InstallFlagsTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("flags").Create();
    private readonly Dictionary<string, string> environment;

    public InstallFlagsTests() => environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void No_deps_installs_the_asked_package_alone_and_only_deps_everything_but_it()
    {
        var full = Names(Krait("create", "-p", scratch.Combine("full"), "--dry-run", "--json", "-c", ExamplesChannel, "--override-channels", "python"));
        Assert.Contains("python", full);
        Assert.True(full.Count > 5);

        var alone = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("alone"), "-c", ExamplesChannel, "--override-channels", "--no-deps", "python"], environment);
        Assert.True(alone.ExitCode == 0, alone.StandardError);
        Assert.Contains("--no-deps leaves out what the asked packages need", alone.StandardError, StringComparison.Ordinal);
        Assert.Equal(["python"], InstalledNames(scratch.Combine("alone")));

        // (Not python's: its noarch: python dependencies cannot be linked without a python.)
        var zlib = Names(Krait("create", "-p", scratch.Combine("full"), "--dry-run", "--json", "-c", ExamplesChannel, "--override-channels", "zlib"));
        Krait("create", "-y", "-q", "-p", scratch.Combine("deps"), "-c", ExamplesChannel, "--override-channels", "--only-deps", "zlib");
        Assert.Equal(zlib.Where(n => n != "zlib").Order(StringComparer.Ordinal), InstalledNames(scratch.Combine("deps")));

        var both = KraitProcess.Run(["create", "-p", scratch.Combine("x"), "--dry-run", "-c", ExamplesChannel, "--no-deps", "--only-deps", "python"], environment);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("exclude each other", both.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_puts_copies_in_the_environment_and_records_link_type_3()
    {
        var prefix = scratch.Combine("copied");
        Krait("create", "-y", "-q", "--copy", "-p", prefix, "-c", ExamplesChannel, "--override-channels", "zlib");
        var files = Directory.EnumerateFiles(prefix, "*", SearchOption.AllDirectories).Where(f => !f.Contains("conda-meta", StringComparison.Ordinal) && new FileInfo(f).LinkTarget is null).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(1, FileKinds.LinkCount(f)));
        using var record = JsonDocument.Parse(File.ReadAllBytes(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "zlib-*.json").Single()));
        Assert.Equal(3, record.RootElement.GetProperty("link").GetProperty("type").GetInt32());

        Krait("create", "-y", "-q", "-p", scratch.Combine("linked"), "-c", ExamplesChannel, "--override-channels", "zlib");
        Assert.Contains(Directory.EnumerateFiles(scratch.Combine("linked"), "*", SearchOption.AllDirectories), f => !f.Contains("conda-meta", StringComparison.Ordinal) && FileKinds.LinkCount(f) > 1);
    }

    [Fact]
    public void Freeze_installed_refuses_a_change_to_an_installed_package_and_force_reinstall_relinks_the_asked_one()
    {
        var prefix = scratch.Combine("env");
        Krait("create", "-y", "-q", "-p", prefix, "-c", ExamplesChannel, "--override-channels", "zlib<2.2");
        var moving = Krait("install", "-p", prefix, "--dry-run", "--json", "-c", ExamplesChannel, "--override-channels", "lz4-c>=1");
        Assert.Contains("libgomp", Names(moving, "UNLINK"));

        var frozen = KraitProcess.Run(["install", "-p", prefix, "--dry-run", "--freeze-installed", "-c", ExamplesChannel, "--override-channels", "lz4-c>=1"], environment);
        Assert.Equal(1, frozen.ExitCode);
        Assert.Contains("libgomp==2.4.0", frozen.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, KraitProcess.Run(["install", "-p", prefix, "--dry-run", "--freeze-installed", "-c", ExamplesChannel, "--override-channels", "lz4-c"], environment).ExitCode);

        Assert.Empty(Names(Krait("install", "-p", prefix, "--dry-run", "--json", "-c", ExamplesChannel, "--override-channels", "zlib<2.2"), "LINK"));
        var again = Krait("install", "-y", "-p", prefix, "--json", "--force-reinstall", "-c", ExamplesChannel, "--override-channels", "zlib<2.2");
        Assert.Equal(["zlib"], Names(again, "LINK"));
        Assert.Equal(["zlib"], Names(again, "UNLINK"));
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", prefix], environment).ExitCode);
    }

    private KraitResult Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    private static List<string> Names(KraitResult result, string action = "LINK")
    {
        using var json = JsonDocument.Parse(result.StandardOutput);
        // Nothing to do is conda's {"message": "All requested packages already installed.", "success": true}: no actions.
        return json.RootElement.TryGetProperty("actions", out var actions) && actions.TryGetProperty(action, out var records)
            ? [.. records.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)]
            : [];
    }

    private static List<string> InstalledNames(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f =>
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(f));
            return record.RootElement.GetProperty("name").GetString()!;
        }).Order(StringComparer.Ordinal)];
}
