using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Krait.Build.Building;
using Krait.Build.Recipes;
using Krait.TestSupport;

namespace Krait.Build.Tests;

/// <summary>The parts of a build that need no environment: folders, sources, prefix detection.</summary>
public sealed class BuildingTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("building").Create();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_host_prefix_is_padded_to_255_characters_from_the_package_name_alone()
    {
        var folders = BuildFolders.For(scratch.Combine("out"), "libgreet-1.2.3-h1234567_0");
        Assert.Equal(255, folders.HostPrefix.Length);
        Assert.StartsWith(scratch.Combine("out", "bld", "libgreet-1.2.3-h1234567_0", "host_env_placehold_placehold"), folders.HostPrefix, StringComparison.Ordinal);
        Assert.Equal(folders, BuildFolders.For(scratch.Combine("out"), "libgreet-1.2.3-h1234567_0"));
    }

    [Fact]
    public void Prefix_detection_tells_text_from_binary_and_rewrites_long_shebangs()
    {
        var prefix = "/build/host_env_placehold_placehold";
        Assert.Equal(PrefixKind.Text, PrefixDetection.Detect(Encoding.UTF8.GetBytes($"prefix={prefix}\n"), prefix));
        Assert.Equal(PrefixKind.Binary, PrefixDetection.Detect([.. "\x7fELF\0"u8, .. Encoding.UTF8.GetBytes(prefix), 0], prefix));
        Assert.Equal(PrefixKind.None, PrefixDetection.Detect("nothing here"u8, prefix));

        var script = Encoding.UTF8.GetBytes($"#!{prefix}/bin/python3 -u\nprint('hi')\n");
        Assert.Equal("#!/usr/bin/env python3 -u\nprint('hi')\n", Encoding.UTF8.GetString(PrefixDetection.RewriteShebang(script, prefix)));
        var shortShebang = "#!/bin/sh\necho\n"u8.ToArray();
        Assert.Same(shortShebang, PrefixDetection.RewriteShebang(shortShebang, prefix));
    }

    [Fact]
    public void A_url_source_is_checked_then_unpacked_without_its_top_folder_and_patched()
    {
        var archive = scratch.Combine("greet-1.0.tar.gz");
        WriteTarGz(archive, ("greet-1.0/greet.txt", "hello\n"), ("greet-1.0/docs/README", "docs\n"));
        var patch = scratch.Combine("fix.patch");
        File.WriteAllText(patch, "--- a/greet.txt\n+++ b/greet.txt\n@@ -1 +1 @@\n-hello\n+hello, patched\n");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)));
        var work = scratch.Combine("work");
        SourcePreparer.Prepare([new RecipeSource(null, "greet-1.0.tar.gz", sha256, null, null, null, null, null, ["fix.patch"])], scratch.Path, work);
        Assert.Equal("hello, patched\n", File.ReadAllText(Path.Combine(work, "greet.txt")));
        Assert.True(File.Exists(Path.Combine(work, "docs", "README")));

        var wrong = Assert.Throws<BuildException>(() => SourcePreparer.Prepare([new RecipeSource(null, "greet-1.0.tar.gz", new string('0', 64), null, null, null, null, null, [])], scratch.Path, scratch.Combine("work2")));
        Assert.Contains($"its sha256 is {sha256}, the recipe says 0000", wrong.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.Combine("work2", "greet.txt")));
    }

    [Fact]
    public void A_tar_bz2_source_is_unpacked_too()
    {
        var tar = scratch.Combine("plain.tar");
        using (var file = File.Create(tar))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "pkg-2/data.txt") { DataStream = new MemoryStream("bz2\n"u8.ToArray()) });
        }

        var archive = scratch.Combine("pkg-2.tar.bz2");
        var bzip2 = RequiredTool.Find("bzip2", "apt-get install bzip2");
        ExternalProgram.Run(bzip2, "-k", tar);

        File.Move(tar + ".bz2", archive);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)));
        var work = scratch.Combine("work");
        SourcePreparer.Prepare([new RecipeSource(null, "pkg-2.tar.bz2", sha256, null, null, null, null, null, [])], scratch.Path, work);
        Assert.Equal("bz2\n", File.ReadAllText(Path.Combine(work, "data.txt")));
    }

    [Fact]
    public void A_source_archive_member_leaving_the_work_folder_is_refused()
    {
        var archive = scratch.Combine("evil.tar.gz");
        WriteTarGz(archive, ("../../escaped.txt", "gotcha\n"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)));
        var error = Assert.Throws<BuildException>(() => SourcePreparer.Prepare([new RecipeSource(null, "evil.tar.gz", sha256, null, null, null, null, null, [])], scratch.Path, scratch.Combine("deep", "work")));
        Assert.Contains("leads outside the work folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.Combine("escaped.txt")));
    }

    [Fact]
    public void A_git_source_is_cloned_at_its_revision()
    {
        var git = RequiredTool.Find("git", "apt-get install git");
        var repository = scratch.Combine("repo");
        Directory.CreateDirectory(repository);
        void Git(params string[] arguments) =>
            ExternalProgram.RunIn(repository, git, ["-c", "user.name=Krait Tests", "-c", "user.email=tests@krait.invalid", "-c", "init.defaultBranch=main", .. arguments]);

        Git("init", "--quiet");
        File.WriteAllText(Path.Combine(repository, "VERSION"), "1\n");
        Git("add", "VERSION");
        Git("commit", "--quiet", "-m", "one");
        Git("tag", "v1");
        File.WriteAllText(Path.Combine(repository, "VERSION"), "2\n");
        Git("commit", "--quiet", "-am", "two");

        var work = scratch.Combine("work");
        SourcePreparer.Prepare([new RecipeSource(null, null, null, null, "repo", "v1", null, null, [])], scratch.Path, work);
        Assert.Equal("1\n", File.ReadAllText(Path.Combine(work, "VERSION")));
        Assert.True(Directory.Exists(Path.Combine(work, ".git")));

        var missing = Assert.Throws<BuildException>(() => SourcePreparer.Prepare([new RecipeSource(null, null, null, null, "repo", "v9", null, null, [])], scratch.Path, scratch.Combine("work2")));
        Assert.Contains("git checkout --quiet v9 failed", missing.Message, StringComparison.Ordinal);
    }

    private static void WriteTarGz(string path, params (string Name, string Text)[] members)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, text) in members)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        }
    }
}
