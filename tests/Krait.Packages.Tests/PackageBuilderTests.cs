using System.Security.Cryptography;
using System.Text.Json;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Files;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>A built package is a real conda package: it verifies against its own record and unpacks to what was described.</summary>
public sealed class PackageBuilderTests : IDisposable
{
    private readonly TempFolder scratch = new("builder");

    public void Dispose() => scratch.Dispose();

    private static PackageBuilder Tool()
    {
        var builder = new PackageBuilder("tool", "2.1.0", "h1234567_3") { BuildNumber = 3, Subdir = "linux-64", License = "BSD-3-Clause", Timestamp = 1_650_000_000_000, Summary = "a demo tool" };
        builder.Depends.Add("libzlib >=1.2.13,<2.0a0");
        builder.Constrains.Add("tool-docs 2.1.*");
        builder.Add(PackageFile.Text("bin/tool", "#!/bin/sh\necho tool\n", executable: true))
            .Add(PackageFile.Text("etc/tool.conf", $"root = {PackageBuilder.PrefixPlaceholder}\n"))
            .Add(PackageFile.Binary("lib/libtool.so.2", [.. "\x7fELF\0"u8, .. System.Text.Encoding.UTF8.GetBytes(PackageBuilder.PrefixPlaceholder), 0]))
            .Add(PackageFile.Symlink("lib/libtool.so", "libtool.so.2"));
        return builder;
    }

    private static PackageRecord RecordOf(PackageBuilder builder, BuiltPackage built, string? sha256 = null, bool withSha256 = true) => new()
    {
        Name = builder.Name,
        Version = builder.Version,
        Build = builder.Build,
        FileName = built.FileName,
        Size = built.Size,
        Md5 = built.Md5,
        Sha256 = withSha256 ? sha256 ?? built.Sha256 : null,
    };

    [Theory]
    [InlineData(".conda")]
    [InlineData(".tar.bz2")]
    public void The_archive_verifies_against_its_own_size_sha256_and_md5(string extension)
    {
        var builder = Tool();
        var built = builder.WriteTo(scratch, extension);

        Assert.Equal("tool-2.1.0-h1234567_3" + extension, built.FileName);
        Assert.Equal(new FileInfo(built.Path).Length, built.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(built.Path))), built.Sha256);
        PackageVerifier.Verify(built.Path, RecordOf(builder, built));
        PackageVerifier.Verify(built.Path, RecordOf(builder, built, withSha256: false));

        var tampered = RecordOf(builder, built, sha256: new string('0', 64));
        Assert.Throws<DigestMismatchException>(() => PackageVerifier.Verify(built.Path, tampered));
    }

    [Fact]
    public void It_unpacks_to_the_described_files_with_conda_metadata()
    {
        var built = Tool().WriteTo(scratch);
        var extracted = Path.Combine(scratch, "x");
        PackageExtractor.Extract(built.Path, extracted);

        var tree = FileTree.Snapshot(extracted);
        Assert.StartsWith("executable ", tree["bin/tool"], StringComparison.Ordinal);
        Assert.StartsWith("file ", tree["etc/tool.conf"], StringComparison.Ordinal);
        Assert.Equal("link -> libtool.so.2", tree["lib/libtool.so"]);
        Assert.Equal(["bin/tool", "etc/tool.conf", "info/about.json", "info/files", "info/index.json", "info/paths.json", "lib/libtool.so", "lib/libtool.so.2"], tree.Keys);

        var record = PackageIndex.Complete(new PackageRecord { Name = "tool", Version = "2.1.0", Build = "h1234567_3", FileName = built.FileName }, extracted);
        Assert.Equal(3, record.BuildNumber);
        Assert.Equal(["libzlib >=1.2.13,<2.0a0"], record.Depends);
        Assert.Equal(["tool-docs 2.1.*"], record.Constrains);
        Assert.Equal("linux-64", record.Subdir);
        Assert.Equal("linux", record.Platform);
        Assert.Equal("x86_64", record.Arch);
        Assert.Equal(1_650_000_000_000, record.Timestamp);
        Assert.Equal("BSD-3-Clause", record.License);

        Assert.Equal("bin/tool\netc/tool.conf\nlib/libtool.so\nlib/libtool.so.2\n", File.ReadAllText(Path.Combine(extracted, "info", "files")));
    }

    [Fact]
    public void Paths_json_lists_every_file_with_its_hash_and_marks_prefix_placeholders()
    {
        var built = Tool().WriteTo(scratch, ".tar.bz2");
        var extracted = Path.Combine(scratch, "x");
        PackageExtractor.Extract(built.Path, extracted);

        var paths = PathsJson.Read(extracted)!;
        Assert.Equal(1, paths.PathsVersion);
        var byPath = paths.Paths.ToDictionary(p => p.Path);
        Assert.Equal(["bin/tool", "etc/tool.conf", "lib/libtool.so", "lib/libtool.so.2"], byPath.Keys);
        foreach (var entry in paths.Paths.Where(p => p.PathType == "hardlink"))
        {
            var bytes = File.ReadAllBytes(Path.Combine(extracted, entry.Path));
            Assert.Equal(bytes.Length, entry.SizeInBytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
        }

        Assert.Null(byPath["bin/tool"].PrefixPlaceholder);
        Assert.Equal((PackageBuilder.PrefixPlaceholder, "text"), (byPath["etc/tool.conf"].PrefixPlaceholder, byPath["etc/tool.conf"].FileMode));
        Assert.Equal((PackageBuilder.PrefixPlaceholder, "binary"), (byPath["lib/libtool.so.2"].PrefixPlaceholder, byPath["lib/libtool.so.2"].FileMode));
        Assert.Equal("softlink", byPath["lib/libtool.so"].PathType);
    }

    [Fact]
    public void A_noarch_python_package_has_link_json_with_its_entry_points()
    {
        var builder = new PackageBuilder("greet", "0.3", "pyhd8ed1ab_0") { NoArch = NoArchType.Python };
        builder.Depends.Add("python >=3.9");
        builder.EntryPoints.Add("greet = greet.cli:main");
        builder.Add(PackageFile.Text("site-packages/greet/__init__.py", "def main():\n    print('hi')\n"));
        var extracted = Path.Combine(scratch, "x");
        PackageExtractor.Extract(builder.WriteTo(scratch).Path, extracted);

        using var link = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(extracted, "info", "link.json")));
        Assert.Equal("python", link.RootElement.GetProperty("noarch").GetProperty("type").GetString());
        Assert.Equal(["greet = greet.cli:main"], link.RootElement.GetProperty("noarch").Strings("entry_points"));

        var record = PackageIndex.Complete(new PackageRecord { Name = "greet", Version = "0.3", Build = "pyhd8ed1ab_0", FileName = "greet-0.3-pyhd8ed1ab_0.conda" }, extracted);
        Assert.Equal(NoArchType.Python, record.NoArch);
        Assert.Equal("noarch", record.Subdir);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(extracted, "info", "index.json")));
        Assert.Equal(JsonValueKind.Null, index.RootElement.GetProperty("arch").ValueKind);
        Assert.Equal(
            ["arch", "build", "build_number", "depends", "name", "noarch", "platform", "subdir", "version"],
            index.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("info/index.json")]
    [InlineData("a//b")]
    public void Paths_that_are_not_plain_payload_paths_are_refused(string path)
    {
        var builder = new PackageBuilder("bad", "1", "0").Add(PackageFile.Text(path, "x"));
        Assert.Throws<ArgumentException>(() => builder.WriteLayout(Path.Combine(scratch, "layout")));
    }
}
