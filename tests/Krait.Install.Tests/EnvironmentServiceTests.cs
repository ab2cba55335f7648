using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Install.Environments;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.Repodata.Query;
using Krait.Solve.Conda;
using Krait.TestSupport;

namespace Krait.Install.Tests;

/// <summary>
/// The environment service as a server or a builder calls it, without the CLI: solve with what is installed, fetch
/// what the cache lacks through an <see cref="IArchiveFetcher"/>, transact; removal's closure; pip as a request flag.
/// </summary>
public sealed class EnvironmentServiceTests : IDisposable
{
    private readonly TestEnvironment environment = new();

    public void Dispose() => environment.Dispose();

    private static Channel Example => Channel.Parse(Path.Combine(RepoPaths.Root, "examples", "channel"));

    private TransactionOptions Options(params string[] specs) => environment.Options(specs) with { ArchiveOf = null };

    [Fact]
    public void A_library_creates_changes_and_empties_an_environment()
    {
        using var source = new ChannelPackageSource([Example], "linux-64");
        var installer = new EnvironmentInstaller(fetcher: null);
        var created = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("bzip2=1.6.1")], []), source);
        Assert.True(created.IsSatisfiable, created.Explanation);
        installer.Create(created.Records, Options("bzip2=1.6.1"));
        Assert.Equal(["bzip2-1.6.1"], PrefixData.Read(Prefix.At(environment.Prefix)).Select(r => $"{r.Name}-{r.Version}"));

        // Installing xz keeps bzip2 where the solve allows it, and brings xz's dependencies.
        using (var held = PrefixLock.Acquire(environment.Prefix))
        {
            var installed = PrefixData.ReadInstalled(Prefix.At(environment.Prefix));
            var solved = EnvironmentSolver.Solve(ChangeKind.Install, [MatchSpec.Parse("xz")], installed, [], source, 1, new SolveRequest([], []));
            Assert.True(solved.IsSatisfiable, solved.Explanation);
            installer.Apply(TransactionPlan.Compute(installed, solved.Records), held, Options("xz"));
        }

        var names = PrefixData.Read(Prefix.At(environment.Prefix)).Select(r => r.Name).ToList();
        Assert.Contains("xz", names);
        Assert.Contains("libstdcxx-ng", names);
        Assert.Equal("1.6.1", PrefixData.Read(Prefix.At(environment.Prefix)).Single(r => r.Name == "bzip2").Version);

        // Removing bzip2 takes xz, which needs it, but not what xz alone needed.
        using (var held = PrefixLock.Acquire(environment.Prefix))
        {
            var installed = PrefixData.ReadInstalled(Prefix.At(environment.Prefix));
            var removed = Removal.Names(installed, [MatchSpec.Parse("bzip2")], force: false);
            Assert.Equal(["bzip2", "xz"], removed.Order(StringComparer.Ordinal));
            Assert.Equal(["bzip2"], Removal.Names(installed, [MatchSpec.Parse("bzip2")], force: true));
            installer.Apply(TransactionPlan.Removing(installed, removed), held, Options());
            var missing = Assert.Throws<PackagesNotInstalledException>(() => Removal.Names(PrefixData.ReadInstalled(Prefix.At(environment.Prefix)), [MatchSpec.Parse("bzip2")], force: false));
            Assert.Equal("bzip2", Assert.Single(missing.Missing).ToString());
        }

        Assert.DoesNotContain(PrefixData.Read(Prefix.At(environment.Prefix)), r => r.Name is "bzip2" or "xz");
    }

    [Fact]
    public void An_archive_the_cache_lacks_comes_through_the_fetcher_or_is_an_error_naming_it()
    {
        var local = TestEnvironment.FromChannel(Path.Combine(RepoPaths.Root, "examples", "channel"), "bzip2", "1.6.1");
        var remote = new PackageRecordBuilder();
        remote.Load(local);
        remote.Url = "https://conda.example.org/example/linux-64/" + local.FileName;
        var record = remote.Build(local.FileName);

        var refused = Assert.Throws<InstallException>(() => new EnvironmentInstaller(fetcher: null).Create([record], Options("bzip2")));
        Assert.Contains(local.FileName.Replace(".tar.bz2", string.Empty, StringComparison.Ordinal).Replace(".conda", string.Empty, StringComparison.Ordinal), refused.Message, StringComparison.Ordinal);
        Assert.Contains("must be downloaded", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(environment.Prefix));

        var mirror = new FolderFetcher(Path.Combine(RepoPaths.Root, "examples", "channel", "linux-64"));
        new EnvironmentInstaller(mirror).Create([record], Options("bzip2"));
        Assert.Equal([local.FileName], mirror.Fetched);
        Assert.Equal(record.Url, PrefixData.Read(Prefix.At(environment.Prefix)).Single().Url);
    }

    [Fact]
    public void Pip_joins_python_only_when_the_request_asks()
    {
        using var source = new ChannelPackageSource([Channel.Parse(RepoPaths.Channel("defaults-2017"))], "linux-64");
        var with = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("python=3.6")], []), source);
        var without = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("python=3.6")], []) { AddPipAsPythonDependency = false }, source);
        Assert.Contains(with.Records, r => r.Name == "pip");
        Assert.DoesNotContain(without.Records, r => r.Name == "pip");
    }

    [Fact]
    public void A_pin_restricts_the_solve_and_never_adds_a_package()
    {
        using var source = new ChannelPackageSource([Example], "linux-64");
        var free = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("bzip2")], []), source);
        Assert.Equal("1.6.3", free.Records.Single(r => r.Name == "bzip2").Version);

        var pins = new[] { MatchSpec.Parse("bzip2 1.6.1"), MatchSpec.Parse("zlib 2.1.*") };
        var pinned = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("bzip2")], []) { Pins = pins }, source);
        Assert.Equal("1.6.1", pinned.Records.Single(r => r.Name == "bzip2").Version);
        Assert.DoesNotContain(pinned.Records, r => r.Name == "zlib");

        var conflict = Assert.Single(PinConflicts.Of([MatchSpec.Parse("bzip2=1.6.3")], pins, source));
        Assert.Equal("bzip2", conflict.Pin.Name.ToString());
        Assert.Empty(PinConflicts.Of([MatchSpec.Parse("bzip2")], pins, source));
    }

    /// <summary>A fetcher that copies archives from a folder, as from a mirror on a shared disk.</summary>
    private sealed class FolderFetcher(string folder) : IArchiveFetcher
    {
        public List<string> Fetched { get; } = [];

        public void Fetch(IReadOnlyList<PackageRecord> records, PackageCache cache, IProgress<TransactionProgress>? progress, CancellationToken cancellation)
        {
            Directory.CreateDirectory(cache.Directory);
            foreach (var record in records)
            {
                File.Copy(Path.Combine(folder, record.FileName), Path.Combine(cache.Directory, record.FileName));
                Fetched.Add(record.FileName);
            }
        }
    }
}
