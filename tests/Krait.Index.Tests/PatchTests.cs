using System.Text.Json.Nodes;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Index.Tests;

/// <summary>Hotfixes with conda-index's semantics, in its form (patch_instructions.json) and in rattler-index's (a patch package).</summary>
public sealed class PatchTests : IDisposable
{
    private readonly TempFolder channel = new TempFolder("index-patch").Create();

    public void Dispose() => channel.Dispose();

    [Fact]
    public void InstructionsReplaceMergeRevokeAndRemove()
    {
        TestChannels.CopyArchives("conda-test-recipes", channel);
        File.WriteAllText(channel.Combine("noarch", "patch_instructions.json"), """
            {
              "patch_instructions_version": 1,
              "packages": {},
              "packages.conda": {
                "dependent-1.0-0.conda": {"depends": ["dependency >=1,<2"], "license": "MIT", "extra": {"a": 1}},
                "not-in-channel-1.0-0.conda": {"depends": []}
              },
              "revoke": ["versioned-1.0-0.conda"],
              "remove": ["dependency-1.0-0.tar.bz2", "unsatisfiable-1.0-0.conda"]
            }
            """);
        var report = ChannelIndexer.Index(channel);
        Assert.True(report.Subdirs.Single(s => s.Subdir == "noarch").Patched);

        var repodata = Read("noarch", "repodata.json");
        var conda = repodata["packages.conda"]!;
        Assert.Equal(["dependency >=1,<2"], conda["dependent-1.0-0.conda"]!["depends"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("MIT", (string?)conda["dependent-1.0-0.conda"]!["license"]);
        Assert.Equal(1, (int)conda["dependent-1.0-0.conda"]!["extra"]!["a"]!);
        Assert.Null(conda["not-in-channel-1.0-0.conda"]);
        Assert.True((bool)conda["versioned-1.0-0.conda"]!["revoked"]!);
        Assert.Contains("package_has_been_revoked", conda["versioned-1.0-0.conda"]!["depends"]!.AsArray().Select(d => (string)d!));

        // remove names the .tar.bz2; its .conda twin goes too, and both are listed only if they existed.
        Assert.Null(conda["dependency-1.0-0.conda"]);
        Assert.Null(conda["unsatisfiable-1.0-0.conda"]);
        Assert.Equal(["dependency-1.0-0.conda", "unsatisfiable-1.0-0.conda"], repodata["removed"]!.AsArray().Select(r => (string)r!));

        // The unpatched records are kept, and the shards carry the patched ones.
        var unpatched = Read("noarch", "repodata_from_packages.json");
        Assert.NotNull(unpatched["packages.conda"]!["unsatisfiable-1.0-0.conda"]);
        Assert.DoesNotContain("dependency >=1,<2", unpatched["packages.conda"]!["dependent-1.0-0.conda"]!["depends"]!.AsArray().Select(d => (string)d!));
        var shardRecords = ShardReading.Records(channel.Combine("noarch"), "dependent");
        Assert.Equal(["dependency >=1,<2"], shardRecords.Single(r => r.FileName == "dependent-1.0-0.conda").Depends);
        Assert.DoesNotContain(ShardReading.Records(channel.Combine("noarch"), "unsatisfiable"), r => r.FileName == "unsatisfiable-1.0-0.conda");
    }

    [Fact]
    public void APatchPackageInNoarchPatchesEverySubdirItNames()
    {
        TestChannels.CopyArchives("zlib-formats", channel);
        var patches = new PackageBuilder("zlib-formats-repodata-patches", "20261202", "0") { Timestamp = 1_790_000_000_000 }
            .Add(PackageFile.Text("linux-64/patch_instructions.json", """{"patch_instructions_version": 1, "packages": {"zlib-1.2.11-h7b6447c_3.tar.bz2": {"depends": ["libgcc-ng >=99"]}}}"""));
        var older = new PackageBuilder("zlib-formats-repodata-patches", "20250101", "0") { Timestamp = 1_700_000_000_000 }
            .Add(PackageFile.Text("linux-64/patch_instructions.json", """{"packages": {"zlib-1.2.11-h7b6447c_3.tar.bz2": {"depends": ["old"]}}}"""));
        patches.WriteTo(channel.Combine("noarch"));
        older.WriteTo(channel.Combine("noarch"));

        ChannelIndexer.Index(channel, new IndexOptions { PatchPackage = "zlib-formats-repodata-patches" });

        var linux = Read("linux-64", "repodata.json");
        Assert.Equal(["libgcc-ng >=99"], linux["packages"]!["zlib-1.2.11-h7b6447c_3.tar.bz2"]!["depends"]!.AsArray().Select(d => (string)d!));
        Assert.Equal(["libgcc-ng >=99"], linux["packages.conda"]!["zlib-1.2.11-h7b6447c_3.conda"]!["depends"]!.AsArray().Select(d => (string)d!));
        Assert.True(File.Exists(channel.Combine("linux-64", "patch_instructions.json")));
        Assert.False(File.Exists(channel.Combine("osx-64", "patch_instructions.json")));
        Assert.Empty(Read("osx-64", "repodata.json")["packages"]!["zlib-1.2.11-h1de35cc_3.tar.bz2"]!["depends"]!.AsArray());
    }

    [Fact]
    public void InstructionsOfAnotherVersionAreRefused()
    {
        Directory.CreateDirectory(channel.Combine("noarch"));
        File.WriteAllText(channel.Combine("noarch", "patch_instructions.json"), """{"patch_instructions_version": 2}""");
        var error = Assert.Throws<InvalidDataException>(() => ChannelIndexer.Index(channel));
        Assert.Contains("patch_instructions_version 2", error.Message, StringComparison.Ordinal);
    }

    private JsonNode Read(string subdir, string file) => JsonNode.Parse(File.ReadAllText(channel.Combine(subdir, file)))!;
}
