using Krait.Conda.Records;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Install.Tests.Security;

/// <summary>
/// Paths that belong to the package manager (<c>conda-meta/</c>, the journal) are never a package's to write, and a
/// record in conda-meta that cannot be read is a clear error naming its file; so are names, versions and build
/// strings that would make a file name leave its folder.
/// </summary>
public sealed class ReservedPathTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private TransactionOptions Options() => new()
    {
        Prefix = Prefix.At(workspace.Prefix),
        Cache = new PackageCache(workspace.Pkgs),
        ArchiveOf = r => new Uri(r.Url!).LocalPath,
        Command = "krait test",
    };

    [Theory]
    [InlineData("conda-meta/ghost-6.6.6-0.json")]
    [InlineData("conda-meta/history")]
    [InlineData("conda-meta/.krait.lock")]
    [InlineData("CONDA-META/ghost-6.6.6-0.json")]
    [InlineData(".krait-transaction/journal.json")]
    public void A_package_may_not_ship_paths_the_package_manager_owns(string path)
    {
        var healthy = workspace.Publish("healthy", "1.0", "0", [ArchiveEntry.File("share/healthy.txt", "ok")]);
        EnvironmentCreator.Create([healthy], Options());
        var before = TreeSnapshot.Take(workspace.Prefix, "conda-meta/.krait.lock");
        var ghost = workspace.Publish("ghost", "6.6.6", "0", [ArchiveEntry.File(path, """{"name": "ghost", "version": "6.6.6", "build": "0"}""")]);

        var refused = Assert.Throws<InstallException>(() =>
        {
            using var prefixLock = PrefixLock.Acquire(workspace.Prefix);
            PrefixTransaction.Execute(TransactionPlan.Compute(PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)), [healthy, ghost]), prefixLock, Options());
        });

        Assert.Contains("belongs to the package manager", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, TreeSnapshot.Take(workspace.Prefix, "conda-meta/.krait.lock"));
        Assert.Equal(["healthy-1.0-0"], PrefixData.Read(Prefix.At(workspace.Prefix)).Select(r => r.ToString()));
    }

    [Fact]
    public void A_damaged_conda_meta_record_is_an_error_naming_the_file_with_advice()
    {
        var healthy = workspace.Publish("healthy", "1.0", "0", [ArchiveEntry.File("share/healthy.txt", "ok")]);
        EnvironmentCreator.Create([healthy], Options());
        var ghost = Path.Combine(workspace.Prefix, "conda-meta", "ghost-6.6.6-0.json");
        File.WriteAllText(ghost, "not json at all");

        var error = Assert.Throws<InstallException>(() => PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)));

        Assert.Contains(ghost, error.Message, StringComparison.Ordinal);
        Assert.Contains("move that file out of conda-meta", error.Message, StringComparison.Ordinal);
        File.Delete(ghost);
        Assert.Single(PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)));
    }

    [Theory]
    [InlineData("""{"name": "x", "version": "1", "build": "0/../../../outside/buildtrav", "files": []}""", "build string")]
    [InlineData("""{"name": "../x", "version": "1", "build": "0", "files": []}""", "name")]
    [InlineData("""{"name": "x", "version": "1", "build": "0", "files": ["../../outside/victim.txt"]}""", "would leave the environment")]
    [InlineData("""{"name": "x", "version": "1", "build": "0", "files": ["conda-meta/history"]}""", "belongs to the package manager")]
    public void A_conda_meta_record_that_would_name_paths_outside_is_refused(string json, string reason)
    {
        var healthy = workspace.Publish("healthy", "1.0", "0", [ArchiveEntry.File("share/healthy.txt", "ok")]);
        EnvironmentCreator.Create([healthy], Options());
        File.WriteAllText(Path.Combine(workspace.Prefix, "conda-meta", "x-1-0.json"), json);

        var error = Assert.Throws<InstallException>(() => PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("x-1-0.json", error.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.CanaryChanges());
    }

    [Theory]
    [InlineData("../outside/victimdir.tar.bz2", "x", "1", "0")]
    [InlineData("x-1-0.tar.bz2", "x", "1", "0/../../../outside/buildtrav")]
    [InlineData("x-1-0.tar.bz2", "x", "1/..", "0")]
    [InlineData("../x-1-0.conda", "x", "1", "0")]
    [InlineData("y-1-0.conda", "x", "1", "0")]
    public void Records_whose_names_would_leave_a_folder_never_reach_the_cache_or_conda_meta(string fileName, string name, string version, string build)
    {
        var victim = Path.Combine(workspace.Root, "outside", "victimdir");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(victim, "keep.txt"), "keep");
        var record = new PackageRecord { Name = name, Version = version, Build = build, FileName = fileName, Url = new Uri(Path.Combine(workspace.Root, "nothing")).AbsoluteUri };

        Assert.Throws<InvalidPackageRecordException>(() => new PackageCache(workspace.Pkgs).Ensure(record, () => throw new InvalidOperationException("must not be asked for the archive")));
        Assert.ThrowsAny<Exception>(() => EnvironmentCreator.Create([record], Options()));

        Assert.True(File.Exists(Path.Combine(victim, "keep.txt")));
        Assert.False(Directory.Exists(Path.Combine(workspace.Root, "outside", "buildtrav")));
        Assert.Empty(workspace.CanaryChanges());
    }
}
