using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary><c>krait doctor</c>: an environment's files against the digests its conda-meta records keep.</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("doctor").Create();
    private readonly Dictionary<string, string> environment;

    public DoctorCommandTests() => environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_missing_and_a_changed_file_are_named_with_their_package_and_the_exit_code_says_so()
    {
        var prefix = scratch.Combine("env");
        Assert.Equal(0, KraitProcess.Run(["create", "-y", "-q", "-p", prefix, "-c", ExamplesChannel, "--override-channels", "python"], environment).ExitCode);
        var healthy = KraitProcess.Run(["doctor", "-p", prefix], environment);
        Assert.True(healthy.ExitCode == 0, healthy.StandardOutput + healthy.StandardError);
        Assert.Contains("Missing Files: none", healthy.StandardOutput, StringComparison.Ordinal);

        // A file whose prefix was replaced at install is checked against its digest in the prefix, not the package's.
        var record = Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "python-*.json").Single();
        using var meta = JsonDocument.Parse(File.ReadAllBytes(record));
        var paths = meta.RootElement.GetProperty("paths_data").GetProperty("paths").EnumerateArray()
            .Where(p => p.GetProperty("path_type").GetString() == "hardlink").Select(p => p.GetProperty("_path").GetString()!).ToList();
        File.AppendAllText(Path.Combine(prefix, paths[0]), "# changed\n");
        File.Delete(Path.Combine(prefix, paths[1]));

        var sick = KraitProcess.Run(["doctor", "-p", prefix, "--json"], environment);
        Assert.Equal(1, sick.ExitCode);
        using var report = JsonDocument.Parse(sick.StandardOutput);
        var package = Path.GetFileNameWithoutExtension(record);
        Assert.False(report.RootElement.GetProperty("healthy").GetBoolean());
        Assert.Equal([paths[0]], report.RootElement.GetProperty("altered_files").GetProperty(package).EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([paths[1]], report.RootElement.GetProperty("missing_files").GetProperty(package).EnumerateArray().Select(p => p.GetString()));
        Assert.Single(report.RootElement.GetProperty("altered_files").EnumerateObject());
    }

    [Fact]
    public void A_folder_that_is_not_an_environment_is_refused()
    {
        Directory.CreateDirectory(scratch.Combine("plain"));
        var refused = KraitProcess.Run(["doctor", "-p", scratch.Combine("plain")], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("conda-meta", refused.StandardError, StringComparison.Ordinal);
    }
}
