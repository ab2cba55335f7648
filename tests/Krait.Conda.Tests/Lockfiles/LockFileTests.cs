using Krait.Conda.Lockfiles;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Lockfiles;

/// <summary>Real lockfiles (written by conda-lock, and pixi's own fixtures of versions 6 and 7) read into one model.</summary>
public sealed class LockFileTests
{
    private static readonly string Lockfiles = Path.Combine(RepoPaths.Data, "lockfiles");

    public static TheoryData<string> EveryLockfile() =>
        [.. Directory.EnumerateFiles(Lockfiles, "*.yml", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Lockfiles, p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EveryLockfile))]
    public void Every_real_lockfile_reads_and_every_environment_package_is_complete(string file)
    {
        var lockFile = Read(file);
        Assert.NotEmpty(lockFile.Environments);
        foreach (var (_, environment) in lockFile.Environments)
        {
            foreach (var (platform, packages) in environment.Packages)
            {
                Assert.Contains(platform, lockFile.Platforms);
                Assert.All(packages, p =>
                {
                    Assert.False(string.IsNullOrEmpty(p.Name), $"{file}: {p.Location} has no name");
                    if (p.Kind == LockedPackageKind.Conda && p.Location.StartsWith("http", StringComparison.Ordinal))
                    {
                        // Some of pixi's fixtures carry no checksum at all: those that do must be whole.
                        Assert.True(p.Sha256 is null or { Length: 64 } && p.Md5 is null or { Length: 32 }, $"{file}: {p.Location} has a malformed checksum");
                        Assert.NotNull(p.Build);
                    }
                });
            }
        }
    }

    [Fact]
    public void A_conda_lock_file_gives_each_platform_its_packages_with_hashes_and_dependencies()
    {
        var lockFile = Read("conda-lock/zlib.conda-lock.yml");
        Assert.Equal("conda-lock v1", lockFile.Format);
        Assert.Equal(["linux-64", "osx-64", "win-64"], lockFile.Platforms);
        Assert.Equal("1173e3c96ce20d063a5701b325b76deb97394f891af270af4ee0cb7cc1f6e838", lockFile.ContentHashes["linux-64"]);
        var environment = lockFile.Environments[LockFile.DefaultEnvironment];
        Assert.Equal(["conda-forge", "defaults"], environment.Channels);
        Assert.Equal(13, environment.Packages.Values.Sum(p => p.Count));
        Assert.Equal(6, environment.Packages["linux-64"].Count);
        var libgomp = environment.Packages["linux-64"].Single(p => p.Name == "libgomp");
        Assert.Equal(
            (LockedPackageKind.Conda, "linux-64", "11.2.0", "h1d223b6_13", "8e91f1f21417c9ab1265240ee4f9db1e", "main", false),
            (libgomp.Kind, libgomp.Platform, libgomp.Version, libgomp.Build, libgomp.Md5, libgomp.Category, libgomp.Optional));
        Assert.Equal(["_libgcc_mutex 0.1 conda_forge"], libgomp.Depends);
    }

    [Fact]
    public void Conda_lock_categories_and_pip_packages_are_kept()
    {
        var categories = Read("conda-lock/test-multiple-categories.conda-lock.yml").Environments[LockFile.DefaultEnvironment].Packages.Values.SelectMany(p => p).ToList();
        Assert.Equal(["dev", "main", "test"], categories.Select(p => p.Category).Distinct().Order(StringComparer.Ordinal));
        var pip = Read("conda-lock/test-install-with-pip-deps.conda-lock.yml").Environments[LockFile.DefaultEnvironment].Packages.Values.SelectMany(p => p).Where(p => p.Kind == LockedPackageKind.Pypi).ToList();
        Assert.Equal(8, pip.Count);
    }

    [Fact]
    public void A_pixi_6_lock_gives_conda_and_pypi_packages_by_platform()
    {
        var lockFile = Read("pixi-lock/v6/numpy-as-pypi-lock.yml");
        Assert.Equal("pixi.lock v6", lockFile.Format);
        var packages = lockFile.Environments["default"].Packages["osx-arm64"];
        Assert.Equal("https://prefix.dev/conda-forge/", lockFile.Environments["default"].Channels.Single());
        Assert.Equal(19, packages.Count(p => p.Kind == LockedPackageKind.Conda));
        var numpy = packages.Single(p => p.Kind == LockedPackageKind.Pypi);
        Assert.Equal(("numpy", "2.2.1"), (numpy.Name, numpy.Version));
        var bzip2 = packages.Single(p => p.Name == "bzip2");
        Assert.Equal(("1.0.8", "h99b78c6_7", "osx-arm64", 122909L), (bzip2.Version, bzip2.Build, bzip2.Platform, bzip2.Size));
        Assert.Equal("adfa71f158cbd872a36394c56c3568e6034aa55c623634b37a4836bd036e6b91", bzip2.Sha256);
        Assert.Equal(["__osx >=11.0"], bzip2.Depends);
        Assert.Equal("noarch", packages.Single(p => p.Name == "tzdata").Platform);
    }

    [Fact]
    public void A_pixi_7_lock_resolves_named_platforms_and_keeps_source_packages_apart()
    {
        var lockFile = Read("pixi-lock/v7/conda-path-lock.yml");
        Assert.Equal("pixi.lock v7", lockFile.Format);
        Assert.Equal("linux-64", lockFile.Subdirs["linux-64-foobar"]);
        Assert.Equal(["default", "second"], lockFile.Environments.Keys.Order(StringComparer.Ordinal));
        var win = lockFile.Environments["default"].Packages["win-64"];
        Assert.All(win, p => Assert.Equal(LockedPackageKind.CondaSource, p.Kind));
        Assert.Equal(["a-python-project", "b-python-project", "minimal-project"], win.Select(p => p.Name));
        Assert.Equal(("0.1", "py38", "noarch"), (win[0].Version, win[0].Build, win[0].Platform));
    }

    [Theory]
    [InlineData("version: 6\nenvironments: {}\npackages: [\n", "invalid YAML")]
    [InlineData("version: 5\nenvironments: {}\npackages: []\n", "pixi.lock version 5 is not supported")]
    [InlineData("version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n        - conda: https://x/linux-64/a-1-0.conda\npackages: []\n", "is not in 'packages'")]
    [InlineData("metadata:\n  platforms: [linux-64]\npackage:\n  - {name: a, version: '1', manager: conda, platform: osx-64, url: https://x/a-1-0.conda}\n", "is not one of metadata.platforms")]
    [InlineData("name: env\ndependencies: [python]\n", "not a lockfile Krait knows")]
    public void A_broken_lockfile_is_refused_with_where_and_why(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LockFile.Parse(yaml, "broken.lock"));
        Assert.StartsWith("broken.lock", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static LockFile Read(string file) => LockFile.Parse(File.ReadAllText(Path.Combine(Lockfiles, file)), file);
}
