using System.Security.Cryptography;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests.Security;

/// <summary>
/// Full disks, read-only environments and caches, two creates of one environment at once, and what killed krait
/// processes leave in the package cache: each a clear error or a success, never a wait for nothing, never a broken
/// cache or a lost environment. The file systems are real (tmpfs mounts).
/// </summary>
public sealed class ResourceFaultTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();
    private readonly List<Tmpfs> mounts = [];

    public void Dispose()
    {
        foreach (var mount in mounts)
        {
            mount.Dispose();
        }

        workspace.Dispose();
    }

    private static KraitResult Krait(string pkgs, params string[] arguments) =>
        KraitProcess.Run(arguments, new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = pkgs });

    private string[] Channel => ["-c", workspace.Channel, "--override-channels", "--platform", "linux-64"];

    /// <summary>A real small file system; the test fails (never passes unchecked) where none can be mounted.</summary>
    private Tmpfs Mount(string path, long bytes)
    {
        var mount = Tmpfs.Mount(path, bytes) ?? throw new InvalidOperationException(Tmpfs.Unavailable);
        mounts.Add(mount);
        return mount;
    }

    private void PublishTwo()
    {
        workspace.Publish("first", "1.0", "0", [ArchiveEntry.File("share/first.txt", "first")]);
        workspace.Publish("second", "1.0", "0", [ArchiveEntry.File("share/second.txt", "second")]);
        workspace.WriteRepodata();
    }

    [Fact]
    public void A_read_only_environment_is_an_error_at_once_and_a_dry_run_still_plans()
    {
        PublishTwo();
        var disk = Mount(workspace.Prefix, 16 << 20);

        Assert.Equal(0, Krait(workspace.Pkgs, ["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "first"]).ExitCode);
        disk.SetReadOnly(true);

        var dryRun = Krait(workspace.Pkgs, ["install", "--dry-run", "-p", workspace.Prefix, .. Channel, "second"]);
        Assert.True(dryRun.ExitCode == 0, dryRun.StandardError);
        Assert.Contains("second", dryRun.StandardOutput, StringComparison.Ordinal);

        var install = Krait(workspace.Pkgs, ["install", "-y", "-p", workspace.Prefix, .. Channel, "second"]);
        Assert.Equal(1, install.ExitCode);
        Assert.Contains("is it read-only", install.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("another krait", install.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_package_cache_that_holds_every_package_is_enough()
    {
        PublishTwo();
        var pkgs = Path.Combine(workspace.Root, "ro-pkgs");
        var disk = Mount(pkgs, 16 << 20);

        Assert.Equal(0, Krait(pkgs, ["create", "-y", "-q", "-p", Path.Combine(workspace.Root, "one"), .. Channel, "first", "second"]).ExitCode);
        disk.SetReadOnly(true);

        var again = Krait(pkgs, ["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "first", "second"]);

        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Equal("second", File.ReadAllText(Path.Combine(workspace.Prefix, "share", "second.txt")));
    }

    [Fact]
    public void A_full_package_cache_keeps_nothing_half_made_and_works_once_there_is_room()
    {
        // Random bytes do not compress: the archive fits in the cache, the archive and its unpacked copy do not.
        var noise = new byte[700 << 10];
        new Random(7).NextBytes(noise);
        workspace.Publish("big", "1.0", "0", [ArchiveEntry.File("share/noise.bin", noise)]);
        workspace.WriteRepodata();
        var pkgs = Path.Combine(workspace.Root, "small-pkgs");
        var disk = Mount(pkgs, 1 << 20);

        var full = Krait(pkgs, ["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "big"]);

        Assert.Equal(1, full.ExitCode);
        Assert.Contains("space", full.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(pkgs), p => p.Contains(".extracting-", StringComparison.Ordinal) || p.Contains(".copying-", StringComparison.Ordinal));
        Assert.False(Directory.Exists(workspace.Prefix));

        disk.Resize(16 << 20);
        var roomy = Krait(pkgs, ["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "big"]);
        Assert.True(roomy.ExitCode == 0, roomy.StandardError);
        Assert.Equal(SHA256.HashData(noise), SHA256.HashData(File.ReadAllBytes(Path.Combine(workspace.Prefix, "share", "noise.bin"))));
    }

    [Fact]
    public void What_a_killed_extraction_left_in_the_cache_is_cleaned_up()
    {
        PublishTwo();
        Directory.CreateDirectory(workspace.Pkgs);
        var staging = Path.Combine(workspace.Pkgs, ".gone-2.0-0.extracting-0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(staging, "lib"));
        File.WriteAllText(Path.Combine(staging, "lib", "half.so"), "half");
        var copy = Path.Combine(workspace.Pkgs, "gone-2.0-0.conda.copying-4242");
        File.WriteAllText(copy, "half an archive");

        var create = Krait(workspace.Pkgs, ["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "first"]);

        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.False(Directory.Exists(staging));
        Assert.False(File.Exists(copy));
    }

    [Fact]
    public async Task Two_creates_of_one_environment_at_once_never_lose_the_one_that_succeeded()
    {
        PublishTwo();
        for (var round = 0; round < 6; round++)
        {
            var prefix = Path.Combine(workspace.Root, $"race-{round}");
            var racers = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => Krait(workspace.Pkgs, ["create", "-y", "-q", "-p", prefix, .. Channel, "first", "second"])))
                .ToArray();
            var results = await Task.WhenAll(racers);

            Assert.Contains(results, r => r.ExitCode == 0);
            Assert.True(File.Exists(Path.Combine(prefix, "share", "second.txt")), $"round {round}: an environment reported as created is gone");
            Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "second-1.0-0.json")), $"round {round}: its records are gone");
            foreach (var loser in results.Where(r => r.ExitCode != 0))
            {
                Assert.Contains("already exists and is not empty", loser.StandardError, StringComparison.Ordinal);
            }
        }
    }
}
