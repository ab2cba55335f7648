using Krait.Conda.Records;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Install.Tests.Security;

/// <summary>
/// Random packages built from the pieces attacks are made of (<c>..</c>, absolute paths, links to <c>.</c>, to
/// <c>..</c>, to deep chains, hard links through links, <c>conda-meta/</c>, paths under links of other packages),
/// installed two at a time into one environment. Whatever the mix, the only outcomes are an environment or a clear
/// refusal (never an unhandled exception), nothing outside the environment and the cache changes, and every link in
/// the environment resolves inside it. Bounded in time; the seed of a failing case is in its message.
/// </summary>
public sealed class PackageFuzzTests
{
    private static readonly string[] Names = ["a", "b", "d", "sub", "lib", "conda-meta", "CONDA-META", ".krait-transaction", "..", ".", "bin"];
    private static readonly string[] Targets = [".", "..", "../..", "d", "d/d/..", "a/../..", "/etc", "/tmp", "sub", "../lib", "lib/../..", "x", "./d", "d/./../.."];

    [Fact]
    public void Random_hostile_packages_never_reach_outside_the_environment()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var only = int.TryParse(Environment.GetEnvironmentVariable("KRAIT_FUZZ_SEED"), out var chosen) ? chosen : (int?)null;
        for (var seed = only ?? 1; seed <= (only ?? 400) && DateTime.UtcNow < deadline; seed++)
        {
            using var workspace = new HostileWorkspace();
            var random = new Random(seed);
            var first = workspace.Publish("one", "1.0", "0", Payload(random, workspace), extension: random.Next(2) == 0 ? ".conda" : ".tar.bz2");
            var second = workspace.Publish("two", "1.0", "0", Payload(random, workspace), extension: random.Next(2) == 0 ? ".conda" : ".tar.bz2");
            var options = new TransactionOptions
            {
                Prefix = Prefix.At(workspace.Prefix),
                Cache = new PackageCache(workspace.Pkgs),
                ArchiveOf = r => new Uri(r.Url!).LocalPath,
                Command = "krait fuzz",
                LinkScripts = LinkScriptPolicy.Refuse,
            };

            try
            {
                EnvironmentCreator.Create([first, second], options);
            }
            catch (Exception e) when (e is HostileArchiveException or InstallException or InvalidPackageRecordException)
            {
                // A clear refusal is a fine outcome.
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} (KRAIT_FUZZ_SEED={seed} runs it alone): unhandled {e}");
            }

            Assert.True(workspace.CanaryChanges().Count == 0, $"seed {seed}: the canary changed: {string.Join(", ", workspace.CanaryChanges())}");
            AssertLinksStayInside(workspace.Prefix, seed);
            AssertLinksStayInside(workspace.Pkgs, seed);
        }
    }

    private static List<ArchiveEntry> Payload(Random random, HostileWorkspace workspace)
    {
        var entries = new List<ArchiveEntry>();
        for (var i = random.Next(1, 7); i > 0; i--)
        {
            var path = string.Join('/', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Names[random.Next(Names.Length)]));
            switch (random.Next(5))
            {
                case 0:
                    entries.Add(ArchiveEntry.Symlink(path, Targets[random.Next(Targets.Length)]));
                    break;
                case 1:
                    entries.Add(ArchiveEntry.Symlink(path, string.Join('/', Enumerable.Repeat("d", random.Next(1, 8)).Concat(Enumerable.Repeat("..", random.Next(1, 10))))));
                    break;
                case 2:
                    entries.Add(ArchiveEntry.HardLink(path, entries.Count > 0 ? entries[random.Next(entries.Count)].Name : "a"));
                    break;
                case 3:
                    entries.Add(ArchiveEntry.File(path + workspace.Canary + "/victim.txt", "pwned"));
                    break;
                default:
                    entries.Add(ArchiveEntry.File(path, "content " + i));
                    break;
            }
        }

        return entries;
    }

    /// <summary>Every link under <paramref name="root"/>, resolved by the operating system, lands inside it (or nowhere).</summary>
    private static void AssertLinksStayInside(string root, int seed)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        var real = RealPath(root) ?? root;
        foreach (var link in EnumerateLinks(root))
        {
            // The kernel's own answer (realpath(3)), not a string computation: that is what the attacks fool.
            if (RealPath(link) is not { } full)
            {
                continue; // dangling, a loop or too many levels: it leads nowhere
            }

            Assert.True(full == real || full.StartsWith(real + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"seed {seed}: {link} resolves to {full}, outside {real}");
        }
    }

    private static string? RealPath(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(resolved);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "realpath", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    private static extern IntPtr NativeRealPath(string path, IntPtr resolved);

    private static IEnumerable<string> EnumerateLinks(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                var info = new FileInfo(entry);
                if (info.LinkTarget is not null)
                {
                    yield return entry;
                }
                else if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                }
            }
        }
    }
}
