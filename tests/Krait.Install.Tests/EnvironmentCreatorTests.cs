using System.Runtime.InteropServices;
using System.Text.Json;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Files;
using Krait.Install.Transactions;
using Krait.Packages;
using Krait.Repodata.Channels;
using Krait.TestSupport;

namespace Krait.Install.Tests;

public sealed class EnvironmentCreatorTests : IDisposable
{
    private readonly TempFolder scratch = new("env");

    public EnvironmentCreatorTests() => Directory.CreateDirectory(scratch);

    public void Dispose() => scratch.Dispose();

    private static TransactionOptions Options(string prefix, PackageCache cache, params string[] specs) => new()
    {
        Prefix = Prefix.At(prefix),
        Cache = cache,
        ArchiveOf = r => new Uri(r.Url!).LocalPath,
        Command = "krait test",
        UpdateSpecs = [.. specs.Select(MatchSpec.Parse)],
    };

    private static PackageRecord Zlib()
    {
        var channel = Krait.Conda.Channels.Channel.Parse(RepoPaths.Channel("zlib-formats"));
        return ChannelLoader.Load(channel, "linux-64", ["zlib"])
            .SelectMany(r => r.TarBz2Packages)
            .First(r => r.Subdir == "linux-64");
    }

    [Fact]
    public void Creates_a_real_zlib_environment_with_the_prefix_replaced_and_conda_meta_written()
    {
        var prefix = Path.Combine(scratch, "envs", "z");
        var cache = new PackageCache(Path.Combine(scratch, "pkgs"));
        var record = Zlib();

        EnvironmentCreator.Create([record], Options(prefix, cache, "zlib"));

        var pc = File.ReadAllText(Path.Combine(prefix, "lib", "pkgconfig", "zlib.pc"));
        Assert.Contains($"prefix={prefix}", pc, StringComparison.Ordinal);
        Assert.DoesNotContain(PrefixReplacer.DefaultPlaceholder, pc, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64)
        {
            var library = Directory.EnumerateFiles(Path.Combine(prefix, "lib"), "libz.so.1.2.*").Single();
            Assert.True(NativeLibrary.TryLoad(library, out var handle), $"{library} does not load");
            Assert.True(NativeLibrary.TryGetExport(handle, "zlibVersion", out _));
            NativeLibrary.Free(handle);
        }

        using var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(prefix, "conda-meta", $"zlib-{record.Version}-{record.Build}.json")));
        var root = meta.RootElement;
        Assert.Equal("zlib", root.GetProperty("name").GetString());
        Assert.Equal(record.FileName, root.GetProperty("fn").GetString());
        Assert.Equal(record.Sha256, root.GetProperty("sha256").GetString());
        Assert.Equal("zlib", root.GetProperty("requested_spec").GetString());
        Assert.StartsWith("file://", root.GetProperty("url").GetString()!, StringComparison.Ordinal);
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("lib/pkgconfig/zlib.pc", files);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(prefix, f!)) || new FileInfo(Path.Combine(prefix, f!)).LinkTarget is not null, f));
        var pcData = root.GetProperty("paths_data").GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("_path").GetString() == "lib/pkgconfig/zlib.pc");
        Assert.Equal(PrefixReplacer.DefaultPlaceholder, pcData.GetProperty("prefix_placeholder").GetString());
        Assert.Equal(64, pcData.GetProperty("sha256_in_prefix").GetString()!.Length);

        var history = File.ReadAllText(Path.Combine(prefix, "conda-meta", "history"));
        Assert.Contains($"::zlib-{record.Version}-{record.Build}", history, StringComparison.Ordinal);
        Assert.Contains("# update specs: ['zlib']", history, StringComparison.Ordinal);
        Assert.True(PackageCache.Matches(Path.Combine(cache.Directory, PackageFileName.Stem(record.FileName)), record));
        Assert.Empty(Directory.GetDirectories(Path.Combine(scratch, "envs"), ".*"));
    }

    [Fact]
    public void A_second_environment_reuses_the_cache_entry()
    {
        var cache = new PackageCache(Path.Combine(scratch, "pkgs"));
        var record = Zlib();
        EnvironmentCreator.Create([record], Options(Path.Combine(scratch, "a"), cache, "zlib"));
        var marker = Path.Combine(cache.Directory, PackageFileName.Stem(record.FileName), "info", "krait-test-marker");
        File.WriteAllText(marker, "still here");
        EnvironmentCreator.Create([record], Options(Path.Combine(scratch, "b"), cache, "zlib"));
        Assert.True(File.Exists(marker), "the extracted package was made again instead of reused");
        Assert.True(File.Exists(Path.Combine(scratch, "b", "lib", "pkgconfig", "zlib.pc")));
    }

    [Fact]
    public void A_failure_leaves_no_environment()
    {
        var cache = new PackageCache(Path.Combine(scratch, "pkgs"));
        var good = Zlib();
        var tampered = new PackageRecord
        {
            Name = good.Name,
            Version = good.Version,
            Build = good.Build,
            FileName = good.FileName,
            Url = good.Url,
            Channel = good.Channel,
            Subdir = good.Subdir,
            Sha256 = new string('0', 64),
        };
        var prefix = Path.Combine(scratch, "broken");
        var error = Assert.Throws<DigestMismatchException>(() => EnvironmentCreator.Create([tampered], Options(prefix, cache, "zlib")));
        Assert.Contains("has sha256", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
        Assert.Empty(Directory.GetDirectories(scratch, ".broken*"));
        Assert.Empty(Directory.GetFileSystemEntries(scratch, "broken*"));

        Directory.CreateDirectory(prefix);
        File.WriteAllText(Path.Combine(prefix, "keep.txt"), "user data");
        Assert.Throws<InstallException>(() => EnvironmentCreator.Create([good], Options(prefix, cache)));
        Assert.Equal("user data", File.ReadAllText(Path.Combine(prefix, "keep.txt")));
    }

    [Fact]
    public void Binary_replacement_pads_with_nuls_and_refuses_a_longer_prefix()
    {
        var content = "head\0/opt/anaconda1anaconda2anaconda3/lib:/opt/anaconda1anaconda2anaconda3/bin\0tail"u8.ToArray();
        var replaced = PrefixReplacer.ReplaceBinary(content, PrefixReplacer.DefaultPlaceholder, "/env", "test");
        Assert.Equal(content.Length, replaced.Length);
        var text = System.Text.Encoding.UTF8.GetString(replaced);
        Assert.StartsWith("head\0/env/lib:/env/bin\0", text, StringComparison.Ordinal);
        Assert.EndsWith("\0tail", text, StringComparison.Ordinal);

        var tooLong = "/" + new string('x', 40);
        var error = Assert.Throws<InstallException>(() => PrefixReplacer.ReplaceBinary(content, PrefixReplacer.DefaultPlaceholder, tooLong, "lib/thing.so"));
        Assert.Contains("longer than the placeholder", error.Message, StringComparison.Ordinal);

        Assert.Equal("a /very/long/prefix/that/is/longer/than/the/placeholder b"u8.ToArray(), PrefixReplacer.ReplaceText("a /opt/anaconda1anaconda2anaconda3 b"u8, PrefixReplacer.DefaultPlaceholder, "/very/long/prefix/that/is/longer/than/the/placeholder"));
    }
}
