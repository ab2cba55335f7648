using Krait.Conda.Records;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Install.Tests.Security;

/// <summary>
/// Links that are inside on paper and outside on disk: <c>d -> .</c> makes each <c>d</c> go nowhere while each
/// <c>..</c> goes up, so <c>d/d/…/../..</c> checked as a string stays inside and resolved by the kernel is <c>/</c>.
/// No write, link, copy or delete may pass through such a link, whichever package or tool made it.
/// </summary>
public sealed class SymlinkEscapeTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    /// <summary>20 <c>d</c>s then 20 <c>..</c>: lexically the link's own folder, on disk with <c>d -> .</c> the file system root.</summary>
    private static string Deep => string.Join('/', Enumerable.Repeat("d", 20).Concat(Enumerable.Repeat("..", 20)));

    private TransactionOptions Options(params string[] pkgsDirs) => new()
    {
        Prefix = Prefix.At(workspace.Prefix),
        Cache = new PackageCache(pkgsDirs.Length > 0 ? pkgsDirs : [workspace.Pkgs]),
        ArchiveOf = r => new Uri(r.Url!).LocalPath,
        Command = "krait test",
    };

    [Fact]
    public void A_package_whose_links_lead_outside_on_disk_is_refused_and_nothing_outside_changes()
    {
        var record = workspace.Publish("evil", "1.0", "0",
        [
            ArchiveEntry.Symlink("sub/d", "."),
            ArchiveEntry.Symlink("sub/e", Deep),
            ArchiveEntry.File($"sub/e{workspace.Canary}/pwned.txt", "written outside"),
        ]);

        var refused = Assert.Throws<HostileArchiveException>(() => EnvironmentCreator.Create([record], Options()));

        Assert.Contains("sub/e", refused.Message, StringComparison.Ordinal);
        Assert.Contains("goes up ('..') after going down", refused.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.CanaryChanges());
        Assert.False(Directory.Exists(workspace.Prefix));
    }

    [Theory]
    [InlineData(".tar.bz2")]
    [InlineData(".conda")]
    public void A_hard_link_that_copies_through_a_link_is_refused(string extension)
    {
        var record = workspace.Publish("evil", "1.0", "0",
        [
            ArchiveEntry.File("sub/real", "x"),
            ArchiveEntry.Symlink("sub/d", "."),
            ArchiveEntry.HardLink("sub/copy", "sub/d/real"),
        ], extension: extension);

        var refused = Assert.Throws<HostileArchiveException>(() => EnvironmentCreator.Create([record], Options()));

        Assert.Contains("hard link to 'sub/d/real'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.CanaryChanges());
    }

    [Fact]
    public void Links_of_two_packages_cannot_combine_to_lead_outside()
    {
        // Each shape the extractor allows stays inside wherever it is combined: here a file under a link to its own folder.
        var loop = workspace.Publish("loop", "1.0", "0", [ArchiveEntry.Symlink("sub/d", ".")]);
        var user = workspace.Publish("user", "1.0", "0", [ArchiveEntry.File("sub/d/d/d/d/x", "inside")]);

        EnvironmentCreator.Create([loop, user], Options());

        Assert.Equal("inside", File.ReadAllText(Path.Combine(workspace.Prefix, "sub", "x")));
        Assert.Empty(workspace.CanaryChanges());
    }

    [Fact]
    public void A_cache_entry_another_tool_unpacked_with_escaping_links_is_refused_before_the_prefix_is_touched()
    {
        var (record, foreignCache) = ForeignEntry(
            """{"paths": [{"_path": "lib/secret", "path_type": "hardlink"}], "paths_version": 1}""",
            entry => File.CreateSymbolicLink(Path.Combine(entry, "lib", "secret"), Path.Combine(workspace.Canary, "secret.txt")));
        var snapshot = TreeSnapshot.Take(foreignCache);

        var refused = Assert.Throws<InstallException>(() => EnvironmentCreator.Create([record], Options(workspace.Pkgs, foreignCache)));

        Assert.Contains("lib/secret is a symlink in the package, but info/paths.json says it is a file", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Prefix));
        Assert.Empty(workspace.CanaryChanges());
        Assert.Equal(snapshot, TreeSnapshot.Take(foreignCache));
    }

    [Fact]
    public void A_foreign_cache_entry_with_a_link_that_climbs_out_is_not_linked()
    {
        var (record, foreignCache) = ForeignEntry(
            """{"paths": [{"_path": "sub/d", "path_type": "softlink"}, {"_path": "sub/e", "path_type": "softlink"}], "paths_version": 1}""",
            entry =>
            {
                File.CreateSymbolicLink(Path.Combine(entry, "sub", "d"), ".");
                File.CreateSymbolicLink(Path.Combine(entry, "sub", "e"), Deep);
            });

        var refused = Assert.Throws<InstallException>(() => EnvironmentCreator.Create([record], Options(workspace.Pkgs, foreignCache)));

        Assert.Contains("the symlink sub/e", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Prefix));
        Assert.Empty(workspace.CanaryChanges());
    }

    [Fact]
    public void Nothing_is_written_through_a_link_in_the_environment_that_leads_outside()
    {
        // A link a post-link script (or another tool) left in the environment, pointing at a folder outside.
        var first = workspace.Publish("base", "1.0", "0", [ArchiveEntry.File("share/base.txt", "base")]);
        EnvironmentCreator.Create([first], Options());
        File.CreateSymbolicLink(Path.Combine(workspace.Prefix, "sub"), workspace.Canary);
        var before = TreeSnapshot.Take(workspace.Prefix, "conda-meta/.krait.lock");
        var evil = workspace.Publish("evil", "1.0", "0", [ArchiveEntry.File("sub/victim.txt", "overwritten"), ArchiveEntry.File("sub/new.txt", "planted")]);

        var refused = Assert.Throws<InstallException>(() => Change(first, evil));

        Assert.Contains("passes through the link 'sub'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.CanaryChanges());
        Assert.Equal(before, TreeSnapshot.Take(workspace.Prefix, "conda-meta/.krait.lock"));
    }

    [Fact]
    public void Removing_a_package_deletes_only_what_resolves_inside_the_environment()
    {
        // An environment another tool made: a record that owns a path reached through a link to a folder outside.
        var record = workspace.Publish("owner", "1.0", "0", [ArchiveEntry.File("share/owner.txt", "mine")]);
        EnvironmentCreator.Create([record], Options());
        File.CreateSymbolicLink(Path.Combine(workspace.Prefix, "out"), workspace.Canary);
        var meta = Path.Combine(workspace.Prefix, "conda-meta", "owner-1.0-0.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(meta))!;
        json["files"]!.AsArray().Add("out/victim.txt");
        json["files"]!.AsArray().Add("out/dir/nested.txt");
        File.WriteAllText(meta, json.ToJsonString());

        TransactionResult result;
        using (var held = PrefixLock.Acquire(workspace.Prefix))
        {
            result = PrefixTransaction.Execute(TransactionPlan.Removing(PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)), ["owner"]), held, Options());
        }

        Assert.Empty(workspace.CanaryChanges());
        Assert.False(File.Exists(Path.Combine(workspace.Prefix, "share", "owner.txt")));
        Assert.Contains(result.Warnings, w => w.Contains("left in place", StringComparison.Ordinal) && w.Contains("out/victim.txt", StringComparison.Ordinal));
    }

    /// <summary>
    /// A package as conda's or mamba's cache holds it, unpacked by that tool (Krait's extractor never saw it): a
    /// published record, and in a second cache folder its entry with <paramref name="pathsJson"/> and what
    /// <paramref name="plant"/> puts in it (folders lib/ and sub/ exist).
    /// </summary>
    private (PackageRecord Record, string Cache) ForeignEntry(string pathsJson, Action<string> plant)
    {
        var record = workspace.Publish("foreign", "1.0", "0", [ArchiveEntry.File("lib/ok", "x")]);
        var cache = Path.Combine(workspace.Root, "foreign-pkgs");
        var entry = Path.Combine(cache, "foreign-1.0-0");
        foreach (var folder in new[] { "info", "lib", "sub" })
        {
            Directory.CreateDirectory(Path.Combine(entry, folder));
        }

        plant(entry);
        File.WriteAllText(Path.Combine(entry, "info", "index.json"), """{"name": "foreign", "version": "1.0", "build": "0"}""");
        File.WriteAllText(Path.Combine(entry, "info", "paths.json"), pathsJson);
        File.WriteAllText(Path.Combine(entry, "info", "repodata_record.json"), $$"""{"name": "foreign", "version": "1.0", "build": "0", "sha256": "{{record.Sha256}}"}""");
        return (record, cache);
    }

    private TransactionResult Change(params PackageRecord[] wanted)
    {
        using var prefixLock = PrefixLock.Acquire(workspace.Prefix);
        var plan = TransactionPlan.Compute(PrefixData.ReadInstalled(Prefix.At(workspace.Prefix)), wanted);
        return PrefixTransaction.Execute(plan, prefixLock, Options());
    }
}
