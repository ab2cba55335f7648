using System.Security.Cryptography;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>Every real package in ../shared/data extracts, and what it unpacks is what its paths.json says.</summary>
public sealed class RealPackageTests : IDisposable
{
    private readonly TempFolder scratch = new("real");

    public static TheoryData<string> Archives()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Data, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".conda", StringComparison.Ordinal) || f.EndsWith(".tar.bz2", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Data, file));
        }

        return data;
    }

    public void Dispose() => scratch.Dispose();

    /// <summary>
    /// The .conda builds of zlib in zlib-formats carry symlink entries whose target is empty (lib/libz.so → ''), so no
    /// tool can recreate those links; Krait refuses them rather than guess. Their .tar.bz2 twins hold regular files.
    /// </summary>
    private static readonly string[] EmptySymlinkTargets =
    [
        "channels/zlib-formats/linux-64/zlib-1.2.11-h7b6447c_3.conda",
        "channels/zlib-formats/osx-64/zlib-1.2.11-h1de35cc_3.conda",
    ];

    [Theory]
    [MemberData(nameof(Archives))]
    public void Extracts_exactly_what_paths_json_lists(string relative)
    {
        var destination = Path.Combine(scratch, "pkg");
        if (EmptySymlinkTargets.Contains(relative.Replace('\\', '/')))
        {
            var refused = Assert.Throws<HostileArchiveException>(() => PackageExtractor.Extract(Path.Combine(RepoPaths.Data, relative), destination));
            Assert.Contains("is a symlink that links to nothing", refused.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(destination));
            return;
        }

        var mismatches = PackageExtractor.Extract(Path.Combine(RepoPaths.Data, relative), destination);

        Assert.True(File.Exists(Path.Combine(destination, "info", "index.json")), "info/index.json is missing");
        Assert.Empty(mismatches); // every real package's files are what its paths.json says, as hashed while unpacking
        var paths = PathsJson.Read(destination);
        if (paths is null)
        {
            return;
        }

        foreach (var entry in paths.Paths)
        {
            var path = Path.Combine(destination, entry.Path);
            switch (entry.PathType)
            {
                case "softlink":
                    // Some archives store the link dereferenced, as a regular file; either way the path must be there.
                    Assert.True(new FileInfo(path).LinkTarget is not null || File.Exists(path), $"{entry.Path} is missing");
                    break;
                case "directory":
                    Assert.True(Directory.Exists(path), $"{entry.Path} should be a folder");
                    break;
                default:
                    Assert.True(File.Exists(path), $"{entry.Path} is missing");
                    if (entry.SizeInBytes is { } size)
                    {
                        Assert.Equal(size, new FileInfo(path).Length);
                    }

                    if (entry.Sha256 is { } sha256)
                    {
                        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
                    }

                    break;
            }
        }

        Assert.Empty(Directory.GetDirectories(scratch, ".*partial*"));
    }

    [Fact]
    public void The_real_zlib_package_unpacks_its_library_and_the_placeholder_in_zlib_pc()
    {
        var channel = RepoPaths.Channel("zlib-formats");
        var tarBz2 = Directory.EnumerateFiles(channel, "*.tar.bz2", SearchOption.AllDirectories).First(f => f.Contains("linux-64", StringComparison.Ordinal));
        PackageExtractor.Extract(tarBz2, Path.Combine(scratch, "zlib"));

        var files = Listing(Path.Combine(scratch, "zlib"));
        Assert.Contains("lib/pkgconfig/zlib.pc", files.Keys);
        Assert.Contains("lib/libz.so.1.2.11", files.Keys);
        Assert.Contains("/opt/anaconda1anaconda2anaconda3", File.ReadAllText(Path.Combine(scratch, "zlib", "lib", "pkgconfig", "zlib.pc")), StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> Listing(string root)
    {
        var listing = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            listing[Path.GetRelativePath(root, file).Replace('\\', '/')] = info.LinkTarget ?? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return listing;
    }
}
