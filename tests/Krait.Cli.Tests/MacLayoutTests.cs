using System.Text;
using System.Text.Json;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait create --platform osx-arm64</c> into a folder: a Mach-O library with the build prefix in it gets the
/// environment's path in place (same length, NUL-padded; its install name left as it was) and, since Apple silicon
/// runs nothing whose signature broke, is named for re-signing on the Mac (signed there by Krait itself); an
/// <c>.app</c> bundle, symlinks and all, is linked exactly as shipped.
/// </summary>
public sealed class MacLayoutTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("mac-layout").Create();

    // The test packages carry the short placeholder, which fits only a short environment path.
    private readonly string prefix = Path.Combine("/tmp", $"km{Guid.NewGuid():N}"[..10]);

    public void Dispose()
    {
        scratch.Dispose();
        if (Directory.Exists(prefix))
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public void A_mach_o_library_gets_its_prefix_in_place_and_an_app_bundle_is_left_as_shipped()
    {
        byte[] machO = [0xCF, 0xFA, 0xED, 0xFE, 0x0C, 0x00, 0x00, 0x01, .. "@rpath/libmac.dylib\0"u8, .. Encoding.UTF8.GetBytes(PackageBuilder.PrefixPlaceholder + "/lib\0"), .. new byte[16]];
        var package = new PackageBuilder("mactool", "1.0", "0") { Subdir = "osx-arm64", Timestamp = 1_700_000_000_000 }
            .Add(PackageFile.Binary("lib/libmac.dylib", machO, executable: true))
            .Add(PackageFile.Text("Applications/Mac Tool.app/Contents/Info.plist", "<plist><dict/></plist>\n"))
            .Add(PackageFile.Binary("Applications/Mac Tool.app/Contents/MacOS/mactool", [0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3], executable: true))
            .Add(PackageFile.Text("Applications/Mac Tool.app/Contents/Frameworks/Lib.framework/Versions/A/Lib", "lib\n"))
            .Add(PackageFile.Symlink("Applications/Mac Tool.app/Contents/Frameworks/Lib.framework/Versions/Current", "A"))
            .Add(PackageFile.Symlink("Applications/Mac Tool.app/Contents/Frameworks/Lib.framework/Lib", "Versions/Current/Lib"));
        var channel = scratch.Combine("channel");
        package.WriteTo(Path.Combine(channel, "osx-arm64"));
        Assert.Equal(0, KraitProcess.Run(["index", channel]).ExitCode);

        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"), ["CONDA_OVERRIDE_OSX"] = "11.0" };
        var created = KraitProcess.Run(["create", "-y", "-p", prefix, "--platform", "osx-arm64", "-c", channel, "--override-channels", "mactool"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);

        var library = File.ReadAllBytes(Path.Combine(prefix, "lib", "libmac.dylib"));
        Assert.Equal(machO.Length, library.Length);
        Assert.Contains("@rpath/libmac.dylib\0", Encoding.UTF8.GetString(library), StringComparison.Ordinal);
        Assert.Contains($"{prefix}/lib\0", Encoding.UTF8.GetString(library), StringComparison.Ordinal);
        Assert.DoesNotContain(PackageBuilder.PrefixPlaceholder, Encoding.UTF8.GetString(library), StringComparison.Ordinal);
        Assert.Contains("1 Mach-O file(s) had the environment's path written into them", created.StandardError, StringComparison.Ordinal);
        Assert.Contains("'codesign -s - -f FILE' on the Mac: lib/libmac.dylib", created.StandardError, StringComparison.Ordinal);

        var bundle = Path.Combine(prefix, "Applications", "Mac Tool.app", "Contents");
        Assert.Equal("A", new FileInfo(Path.Combine(bundle, "Frameworks", "Lib.framework", "Versions", "Current")).LinkTarget);
        Assert.Equal("lib\n", File.ReadAllText(Path.Combine(bundle, "Frameworks", "Lib.framework", "Lib")));
        Assert.Equal([0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3], File.ReadAllBytes(Path.Combine(bundle, "MacOS", "mactool")));

        // What conda-meta says of the library is what is on disk, so doctor finds nothing to report.
        var record = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "mactool-*.json").Single())).RootElement;
        var entry = record.GetProperty("paths_data").GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("_path").GetString() == "lib/libmac.dylib");
        Assert.Equal("binary", entry.GetProperty("file_mode").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(library)), entry.GetProperty("sha256_in_prefix").GetString());
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", prefix], environment).ExitCode);
    }
}
