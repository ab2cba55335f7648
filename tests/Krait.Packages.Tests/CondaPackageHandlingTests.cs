using System.Diagnostics;
using System.Security.Cryptography;
using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>
/// Krait's archives against conda's own archive library, conda-package-handling (<c>cph</c>, from Debian; CI installs
/// it): what Krait writes, cph extracts to the same tree; what cph converts, Krait extracts to the same tree.
/// </summary>
public sealed class CondaPackageHandlingTests : IDisposable
{
    private readonly TempFolder scratch = new("cph");

    public CondaPackageHandlingTests() => Directory.CreateDirectory(scratch);

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Conda_package_handling_reads_what_krait_writes_and_krait_reads_what_it_converts()
    {
        var cph = RequiredTool.Find("cph", "apt-get install conda-package-handling");

        var builder = new PackageBuilder("interop", "1.0", "0") { Subdir = "linux-64", Timestamp = 1_700_000_000_000 };
        builder.Add(PackageFile.Text("bin/interop", "#!/bin/sh\necho interop\n", executable: true));
        builder.Add(PackageFile.Text("etc/interop.conf", $"prefix={PackageBuilder.PrefixPlaceholder}\n"));
        builder.Add(PackageFile.Binary("lib/libinterop.so", [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 1, 2, 3]));
        builder.Add(PackageFile.Symlink("lib/libinterop.so.1", "libinterop.so"));
        builder.Add(PackageFile.Text($"lib/python3.12/site-packages/{string.Join('/', Enumerable.Repeat("deeply_nested_module", 8))}/__init__.py", "x = 1\n"));
        builder.Add(PackageFile.Text("share/doc/café/lisez-moi.txt", "bonjour\n"));
        var layout = Path.Combine(scratch, "layout");
        builder.WriteLayout(layout);
        var expected = Tree(layout);

        foreach (var extension in new[] { ".conda", ".tar.bz2" })
        {
            var built = builder.WriteTo(Path.Combine(scratch, "out"), extension);
            var byCph = Path.Combine(scratch, "cph" + extension);
            Run(cph, "x", built.Path, "--dest", byCph);
            Assert.Equal(expected, Tree(byCph, ignoreMetadataJson: true));
        }

        // cph's .tar.bz2 -> .conda conversion, read back by Krait.
        var source = builder.WriteTo(Path.Combine(scratch, "convert"), ".tar.bz2");
        Directory.CreateDirectory(Path.Combine(scratch, "converted"));
        Run(cph, "t", source.Path, ".conda", "--out-folder", Path.Combine(scratch, "converted"));
        var converted = Path.Combine(scratch, "converted", builder.FileName(".conda"));
        var byKrait = Path.Combine(scratch, "krait");
        PackageExtractor.Extract(converted, byKrait);
        Assert.Equal(expected, Tree(byKrait));
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {output.Result}{error}");
    }

    /// <summary>Each path with its content hash, link target or "dir", and whether it is executable.</summary>
    private static SortedDictionary<string, string> Tree(string root, bool ignoreMetadataJson = false)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
            if (ignoreMetadataJson && relative == "metadata.json")
            {
                continue;
            }

            var info = new FileInfo(entry);
            tree[relative] = info.LinkTarget is { } target ? $"-> {target}"
                : Directory.Exists(entry) ? "dir"
                : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry)))
                    + (!OperatingSystem.IsWindows() && File.GetUnixFileMode(entry).HasFlag(UnixFileMode.UserExecute) ? " x" : string.Empty);
        }

        return tree;
    }
}
