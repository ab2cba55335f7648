using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.Repodata.Channels;
using Krait.TestSupport;

namespace Krait.Install.Tests;

/// <summary>A scratch prefix and package cache, changed through the real transaction API.</summary>
internal sealed class TestEnvironment : IDisposable
{
    public TestEnvironment()
    {
        folder = new TempFolder("tx").Create();
    }

    public string Root => folder.Path;

    private readonly TempFolder folder;

    public string Prefix => Path.Combine(Root, "env");

    public PackageCache Cache => new(Path.Combine(Root, "pkgs"));

    public PathConflict PathConflict { get; set; } = PathConflict.Clobber;

    public bool CompilePyc { get; set; } = true;

    /// <summary>Records of a shared channel (its platform subdir and noarch), by name.</summary>
    public static PackageRecord FromChannel(string channel, string name, string? version = null, string platform = "linux-64")
    {
        var records = ChannelLoader.Load(Krait.Conda.Channels.Channel.Parse(RepoPaths.Channel(channel)), platform, [name]).SelectMany(r => r.Records()).Where(r => r.Name == name);
        return records.Where(r => version is null || r.Version == version).OrderByDescending(r => r.ParsedVersion).First();
    }

    /// <summary>A loose archive of <c>../shared/data/packages</c>, described by its file name alone (the rest comes from its index.json).</summary>
    public static PackageRecord Loose(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Data, "packages", relativePath);
        var stem = PackageFileName.Stem(Path.GetFileName(path));
        var build = stem[(stem.LastIndexOf('-') + 1)..];
        var rest = stem[..stem.LastIndexOf('-')];
        return new PackageRecord
        {
            Name = rest[..rest.LastIndexOf('-')],
            Version = rest[(rest.LastIndexOf('-') + 1)..],
            Build = build,
            FileName = Path.GetFileName(path),
            Url = new Uri(path).AbsoluteUri,
            Channel = "packages",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
        };
    }

    public static PackageRecord FromBuilt(BuiltPackage built, PackageBuilder builder) => new()
    {
        Name = builder.Name,
        Version = builder.Version,
        Build = builder.Build,
        BuildNumber = builder.BuildNumber,
        FileName = built.FileName,
        Depends = [.. builder.Depends],
        NoArch = builder.NoArch,
        Url = new Uri(built.Path).AbsoluteUri,
        Channel = "built",
        Sha256 = built.Sha256,
        Md5 = built.Md5,
        Size = built.Size,
        Subdir = builder.Subdir,
    };

    public TransactionOptions Options(params string[] specs) => new()
    {
        Prefix = Krait.Install.Prefix.At(Prefix),
        Cache = Cache,
        ArchiveOf = r => new Uri(r.Url!).LocalPath,
        Command = "krait test",
        UpdateSpecs = [.. specs.Select(MatchSpec.Parse)],
        PathConflict = PathConflict,
        CompilePyc = CompilePyc,
        RootPrefix = Root,
    };

    public TransactionResult Create(params PackageRecord[] records) => EnvironmentCreator.Create(records, Options([.. records.Select(r => r.Name)]));

    /// <summary>Moves the environment to exactly <paramref name="wanted"/>.</summary>
    public TransactionResult Change(params PackageRecord[] wanted)
    {
        using var prefixLock = PrefixLock.Acquire(Prefix);
        var plan = TransactionPlan.Compute(PrefixData.ReadInstalled(Krait.Install.Prefix.At(Prefix)), wanted);
        return PrefixTransaction.Execute(plan, prefixLock, Options());
    }

    public TransactionResult Remove(params string[] names)
    {
        using var prefixLock = PrefixLock.Acquire(Prefix);
        var plan = TransactionPlan.Removing(PrefixData.ReadInstalled(Krait.Install.Prefix.At(Prefix)), names);
        return PrefixTransaction.Execute(plan, prefixLock, Options() with { RemoveSpecs = names });
    }

    public IReadOnlyList<string> Installed() => [.. PrefixData.Read(Krait.Install.Prefix.At(Prefix)).Select(r => r.ToString())];

    public string Read(string relative) => File.ReadAllText(Path.Combine(Prefix, relative));

    public bool Has(string relative) => PrefixPaths.Exists(Path.Combine(Prefix, relative));

    /// <summary>Every path of the prefix with what it is (a file's sha256, a link's target, a folder), Krait's lock left out.</summary>
    public SortedDictionary<string, string> Snapshot() => TreeSnapshot.Take(Prefix, "conda-meta/.krait.lock");

    public void Dispose() => folder.Dispose();
}
