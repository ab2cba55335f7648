using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Files;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>Several package cache folders, as conda's <c>pkgs_dirs</c>: the first writable one receives, the others are reused.</summary>
public sealed class PackageCacheFoldersTests : IDisposable
{
    private readonly TempFolder scratch = new("caches");

    public void Dispose() => scratch.Dispose();

    private static (PackageRecord Record, string Archive) RealPackage()
    {
        var archive = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "small-executable-1.0-0.conda");
        var record = new PackageRecord
        {
            Name = "small-executable",
            Version = "1.0",
            Build = "0",
            FileName = Path.GetFileName(archive),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive))),
        };
        return (record, archive);
    }

    [Fact]
    public void An_entry_of_another_cache_is_used_where_it_is()
    {
        var (record, archive) = RealPackage();
        var other = Path.Combine(scratch, "conda-pkgs");
        var extracted = new PackageCache(other).Ensure(record, archive);

        var ours = Path.Combine(scratch, "krait-pkgs");
        var cache = new PackageCache([ours, other]);
        Assert.Equal(ours, cache.Directory);
        Assert.Equal(extracted, cache.Ensure(record, () => throw new InvalidOperationException("the archive was asked for although a cache has the package")));
        Assert.False(Directory.Exists(Path.Combine(ours, PackageFileName.Stem(record.FileName))));
    }

    [Fact]
    public void An_archive_of_another_cache_is_extracted_into_the_writable_one_without_fetching()
    {
        var (record, archive) = RealPackage();
        var other = Path.Combine(scratch, "conda-pkgs");
        Directory.CreateDirectory(other);
        File.Copy(archive, Path.Combine(other, record.FileName));

        var ours = Path.Combine(scratch, "krait-pkgs");
        var extracted = new PackageCache([ours, other]).Ensure(record, () => throw new InvalidOperationException("fetched although a cache holds the archive"));
        Assert.Equal(Path.Combine(ours, PackageFileName.Stem(record.FileName)), extracted);
        Assert.True(PackageCache.Matches(extracted, record));
    }

    [Fact]
    public void A_foreign_entry_that_does_not_match_the_record_is_not_used()
    {
        var (record, archive) = RealPackage();
        var other = Path.Combine(scratch, "conda-pkgs");
        new PackageCache(other).Ensure(record, archive);
        var different = new PackageRecord { Name = record.Name, Version = record.Version, Build = record.Build, FileName = record.FileName, Sha256 = new string('0', 64) };

        var ours = Path.Combine(scratch, "krait-pkgs");
        Assert.Throws<DigestMismatchException>(() => new PackageCache([ours, other]).Ensure(different, archive));
    }
}
