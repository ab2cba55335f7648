using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait clean</c> on a real package cache shared by two environments of the examples channel: what a removed
/// environment used goes, what a living one links (by hard link, or by its records when the links are broken) stays.
/// </summary>
public sealed class CleanCommandTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("clean").Create();
    private readonly Dictionary<string, string> environment;

    public CleanCommandTests() => environment = new()
    {
        ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"),
        ["CONDA_ENVS_DIRS"] = scratch.Combine("envs"),
    };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Packages_no_environment_uses_go_and_those_a_living_environment_links_stay()
    {
        Krait("create", "-y", "-q", "-n", "big", "-c", ExamplesChannel, "--override-channels", "python");
        Krait("create", "-y", "-q", "-n", "small", "-c", ExamplesChannel, "--override-channels", "zlib");
        Assert.Empty(Listed(Krait("clean", "--packages", "--dry-run", "--json"), "packages"));

        Krait("remove", "-y", "-q", "-n", "big", "--all");
        var small = Used(scratch.Combine("envs", "small"));
        var unused = Listed(Krait("clean", "--packages", "--dry-run", "--json"), "packages");
        Assert.NotEmpty(unused);
        Assert.DoesNotContain(unused, small.Contains);
        Assert.All(unused, p => Assert.True(Directory.Exists(p), $"a dry run removed {p}"));

        // The small environment's files are copies now (as after a copy-linked install): its records still name its packages.
        foreach (var file in Directory.EnumerateFiles(scratch.Combine("envs", "small"), "*", SearchOption.AllDirectories).Where(f => !f.Contains("conda-meta", StringComparison.Ordinal) && new FileInfo(f).LinkTarget is null))
        {
            File.Copy(file, file + ".copy");
            File.Move(file + ".copy", file, overwrite: true);
        }

        var removed = Listed(Krait("clean", "--packages", "-y", "--json"), "packages");
        Assert.Equal(unused.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.All(removed, p => Assert.False(Directory.Exists(p)));
        Assert.All(small, p => Assert.True(Directory.Exists(p), $"{p} is used by an environment and was removed"));
        Assert.Equal(0, KraitProcess.Run(["doctor", "-n", "small"], environment).ExitCode);
    }

    [Fact]
    public void Tarballs_the_index_cache_and_free_locks_each_go_on_their_own_and_a_held_lock_stays()
    {
        Krait("create", "-y", "-q", "-n", "small", "-c", ExamplesChannel, "--override-channels", "zlib");
        var pkgs = scratch.Combine("pkgs");
        Directory.CreateDirectory(Path.Combine(pkgs, "cache"));
        File.WriteAllText(Path.Combine(pkgs, "cache", "0123abcd.json"), "{}");
        var archives = Directory.GetFiles(pkgs).Where(f => f.EndsWith(".conda", StringComparison.Ordinal) || f.EndsWith(".tar.bz2", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(archives);

        var tarballs = Listed(Krait("clean", "--tarballs", "-y", "--json"), "tarballs");
        Assert.Equal(archives.Order(StringComparer.Ordinal), tarballs.Order(StringComparer.Ordinal));
        Assert.All(archives, a => Assert.False(File.Exists(a)));
        Assert.True(Directory.GetDirectories(pkgs).Length > 1, "cleaning tarballs removed extracted packages");

        Assert.Contains(Path.Combine(pkgs, "cache", "0123abcd.json"), Listed(Krait("clean", "-i", "-y", "--json"), "index_cache"));
        Assert.Empty(Directory.GetFiles(Path.Combine(pkgs, "cache"), "*", SearchOption.AllDirectories));

        var held = Path.Combine(pkgs, "held.lock");
        using (new FileStream(held, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var locks = Listed(Krait("clean", "--locks", "-y", "--json"), "locks");
            Assert.NotEmpty(locks);
            Assert.DoesNotContain(held, locks);
            Assert.True(File.Exists(held));
        }

        Assert.Equal([held], Directory.GetFiles(pkgs, "*.lock"));
    }

    [Fact]
    public void Nothing_to_clean_named_is_an_error()
    {
        var refused = KraitProcess.Run(["clean"], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("give --all, --packages, --tarballs, --index-cache or --locks", refused.StandardError, StringComparison.Ordinal);
    }

    private KraitResult Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    private static List<string> Listed(KraitResult result, string kind)
    {
        using var json = JsonDocument.Parse(result.StandardOutput);
        return [.. json.RootElement.GetProperty(kind).GetProperty("files").EnumerateArray().Select(f => f.GetString()!)];
    }

    /// <summary>The cache folders an environment's records name.</summary>
    private static List<string> Used(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f =>
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(f));
            return record.RootElement.GetProperty("extracted_package_dir").GetString()!;
        })];
}
