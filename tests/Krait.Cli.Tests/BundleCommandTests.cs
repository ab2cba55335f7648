using System.Diagnostics;
using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait bundle</c> and <c>krait bundle unpack</c>: the examples channel's python environment in one file, the same
/// bytes from the same inputs, installed with no channel and no network; damage refused before anything is written;
/// the <c>.sh</c> form run by bash with the NativeAOT krait inside.
/// </summary>
public sealed class BundleCommandTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("bundle").Create();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_same_environment_bundles_to_the_same_bytes_and_unpacks_offline_into_the_environment_a_solve_gives()
    {
        // A channel that is gone when the bundle is installed: nothing can come from anywhere but the bundle.
        var channel = scratch.Combine("channel");
        CopyTree(ExamplesChannel, channel);
        var file = WriteEnvironment(channel);
        var first = Bundle(file, "one", "python.tar");
        var second = Bundle(file, "two", "python.tar"); // another cache, another folder: the same bytes
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));

        var report = Krait(["bundle", "-f", file, "-o", scratch.Combine("three", "python.tar"), "--json"], "three");
        using (var json = JsonDocument.Parse(report.StandardOutput))
        {
            Assert.Equal(new FileInfo(first).Length, json.RootElement.GetProperty("size").GetInt64());
            Assert.True(json.RootElement.GetProperty("packages").GetInt32() > 10);
        }

        // No channel, a dead proxy and an empty package cache: everything comes from the bundle.
        Directory.Delete(channel, recursive: true);
        var unpacked = scratch.Combine("envs", "from-bundle");
        Krait(["bundle", "unpack", first, "-p", unpacked, "-y", "-q"], "empty", Offline);
        var solved = scratch.Combine("envs", "from-solv-e");
        Krait(["create", "-y", "-q", "-p", solved, "-c", ExamplesChannel, "--override-channels", "python"], "solve");
        Assert.Equal(MetaFiles(solved), MetaFiles(unpacked));
        // The records keep where each package came from, not the bundle's temporary folder: conda sees a normal environment.
        using (var python = JsonDocument.Parse(File.ReadAllBytes(Directory.GetFiles(Path.Combine(unpacked, "conda-meta"), "python-*.json").Single())))
        {
            Assert.StartsWith(new Uri(channel).AbsoluteUri + "/linux-64/python-", python.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(unpacked, "bin", "python3")) || Directory.GetFiles(Path.Combine(unpacked, "bin")).Length > 0);
        Assert.Empty(Directory.GetDirectories(scratch.Combine("envs"), ".krait-unpack-*"));
    }

    [Theory]
    [InlineData("package")]
    [InlineData("manifest")]
    [InlineData("truncated")]
    public void A_damaged_bundle_is_refused_before_anything_is_written(string damage)
    {
        var bundle = Bundle(WriteEnvironment(), "made", "python.tar");
        var bytes = File.ReadAllBytes(bundle);
        switch (damage)
        {
            case "package":
                bytes[Offset(bytes, "channel/linux-64/python-") + 512 + 100] ^= 0x01; // inside the python archive's data
                break;
            case "manifest":
                bytes[Offset(bytes, "bundle.json") + 512 + 40] ^= 0x01;
                break;
            default:
                bytes = bytes[..(bytes.Length * 2 / 3)];
                break;
        }

        var damaged = scratch.Combine("damaged.tar");
        File.WriteAllBytes(damaged, bytes);
        var prefix = scratch.Combine("envs", "never");
        var refused = KraitProcess.Run(["bundle", "unpack", damaged, "-p", prefix, "-y"], Environment("empty", Offline));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("damaged or truncated", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", refused.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
        Assert.Empty(Directory.GetDirectories(scratch.Combine("envs")));
        Assert.False(Directory.Exists(scratch.Combine("pkgs-empty")) && Directory.EnumerateFileSystemEntries(scratch.Combine("pkgs-empty")).Any(e => !Path.GetFileName(e).StartsWith('.')));
    }

    [Fact]
    public void The_installer_script_installs_in_batch_mode_with_the_native_krait_inside_and_refuses_a_damaged_copy()
    {
        var native = Path.Combine(RepoPaths.Root, "artifacts", "krait-aot", "krait");
        Assert.True(File.Exists(native), $"this test needs the NativeAOT krait at {native}: run ./bench/publish.sh (./test.sh does)");
        var installer = scratch.Combine("made", "python.sh");
        Krait(["bundle", "-f", WriteEnvironment(), "-o", installer, "--krait-binary", native, "-q"], "made");

        var prefix = scratch.Combine("opt", "stack");
        var installed = RunScript(installer, ["-b", "-p", prefix]);
        Assert.True(installed.ExitCode == 0, installed.Error);
        Assert.Contains(Directory.GetFiles(Path.Combine(prefix, "conda-meta")), f => Path.GetFileName(f).StartsWith("python-", StringComparison.Ordinal));
        Assert.Contains(prefix, File.ReadAllText(scratch.Combine("home", ".conda", "environments.txt")), StringComparison.Ordinal);

        var bytes = File.ReadAllBytes(installer);
        bytes[^5000] ^= 0x01;
        var damaged = scratch.Combine("damaged.sh");
        File.WriteAllBytes(damaged, bytes);
        var refused = RunScript(damaged, ["-b", "-p", scratch.Combine("opt", "never")]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is damaged or incomplete", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.Combine("opt", "never")));

        // krait itself takes the .sh form apart too, checking the payload first.
        var unpacked = KraitProcess.Run(["bundle", "unpack", damaged, "-p", scratch.Combine("opt", "never"), "-y"], Environment("empty", Offline));
        Assert.Equal(1, unpacked.ExitCode);
        Assert.Contains("payload has sha256", unpacked.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_installer_without_a_krait_binary_says_so_when_made_and_when_run()
    {
        var installer = scratch.Combine("made", "python.sh");
        var made = Krait(["bundle", "-f", WriteEnvironment(), "-o", installer], "made"); // the tests' krait runs on the JIT: not a native binary
        Assert.Contains("no krait binary for linux-64 is in it", made.StandardError, StringComparison.Ordinal);
        var run = RunScript(installer, ["-b", "-p", scratch.Combine("opt", "stack")]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("carries no krait binary", run.Error, StringComparison.Ordinal);
        Assert.Contains("krait bundle unpack", run.Error, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, string> Offline = new() { ["HTTPS_PROXY"] = "http://127.0.0.1:9", ["HTTP_PROXY"] = "http://127.0.0.1:9" };

    private string WriteEnvironment(string? channel = null)
    {
        var path = scratch.Combine("environment.yml");
        File.WriteAllLines(path, ["name: python", "channels:", $"  - {channel ?? ExamplesChannel}", "dependencies:", "  - python"]);
        return path;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string Bundle(string file, string label, string name)
    {
        var output = scratch.Combine(label, name);
        Krait(["bundle", "-f", file, "-o", output, "-q"], label);
        return output;
    }

    private Dictionary<string, string> Environment(string cache, Dictionary<string, string>? more = null)
    {
        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = scratch.Combine($"pkgs-{cache}") };
        foreach (var (key, value) in more ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    private KraitResult Krait(string[] arguments, string cache, Dictionary<string, string>? more = null)
    {
        var result = KraitProcess.Run(arguments, Environment(cache, more));
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    /// <summary>Runs an installer with bash as a user would: a HOME of its own, no conda settings, no network.</summary>
    private (int ExitCode, string Output, string Error) RunScript(string script, string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(script);
        arguments.ToList().ForEach(start.ArgumentList.Add);
        Directory.CreateDirectory(scratch.Combine("home"));
        start.Environment["HOME"] = scratch.Combine("home");
        start.Environment["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs-script");
        start.Environment["HTTPS_PROXY"] = "http://127.0.0.1:9";
        foreach (var inherited in new[] { "CONDARC", "CONDA_PREFIX", "CONDA_ENVS_PATH", "CONDA_ENVS_DIRS", "KRAIT_ROOT_PREFIX" })
        {
            start.Environment.Remove(inherited);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the installer did not finish in 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Where the tar header of the first member whose name starts with <paramref name="name"/> begins.</summary>
    private static int Offset(byte[] tar, string name)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(name);
        for (var block = 0; block + 512 <= tar.Length; block += 512)
        {
            if (tar.AsSpan(block, needle.Length).SequenceEqual(needle))
            {
                return block;
            }
        }

        throw new InvalidOperationException($"no member {name} in the bundle");
    }

    private static List<string> MetaFiles(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
