using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void Json_reports_version_platform_virtual_packages_and_locations()
    {
        using var folder = new TempFolder("condarc").Create();
        var condarc = folder.Combine("condarc.yml");
        File.WriteAllText(condarc, "channels:\n  - conda-forge\npkgs_dirs:\n  - /tmp/krait-test-pkgs\n");
        var result = KraitProcess.Run(["info", "--json"], new Dictionary<string, string>
        {
            ["CONDARC"] = condarc,
            ["CONDA_OVERRIDE_GLIBC"] = "2.17",
            ["CONDA_OVERRIDE_CUDA"] = "12.4",
            ["CONDA_OVERRIDE_ARCHSPEC"] = "haswell",
        });
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Matches(@"^\d+\.\d+\.\d+", root.GetProperty("krait_version").GetString());
        Assert.Equal(Krait.Conda.Platforms.Platform.Native, root.GetProperty("platform").GetString());
        Assert.Equal([condarc], root.GetProperty("config_files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["conda-forge"], root.GetProperty("channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["/tmp/krait-test-pkgs"], root.GetProperty("pkgs_dirs").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.GetProperty("offline").GetBoolean());
        Assert.EndsWith(".condarc", root.GetProperty("user_rc_path").GetString()!, StringComparison.Ordinal);
        var virtualPackages = root.GetProperty("virtual_pkgs").EnumerateArray()
            .ToDictionary(p => p[0].GetString()!, p => (p[1].GetString(), p[2].GetString()));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(("2.17", "0"), virtualPackages["__glibc"]);
            Assert.True(virtualPackages.ContainsKey("__linux"));
            Assert.True(virtualPackages.ContainsKey("__unix"));
        }

        Assert.Equal(("12.4", "0"), virtualPackages["__cuda"]);
        Assert.Equal(("1", "haswell"), virtualPackages["__archspec"]);
    }

    [Fact]
    public void Human_output_names_the_sections()
    {
        var result = KraitProcess.Run(["info"], new Dictionary<string, string> { ["CONDA_OVERRIDE_CUDA"] = string.Empty });
        Assert.Equal(0, result.ExitCode);
        foreach (var label in new[] { "krait version", "platform", "virtual packages", "package cache", "envs directories", "config files" })
        {
            Assert.Contains(label + " :", result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("__cuda", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_condarc_is_reported_with_file_and_line()
    {
        using var folder = new TempFolder("condarc").Create();
        var condarc = folder.Combine("condarc.yml");
        File.WriteAllText(condarc, "channels:\n  - a\n  b: [\n");
        var result = KraitProcess.Run(["info"], new Dictionary<string, string> { ["CONDARC"] = condarc });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(condarc + ":", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_and_unknown_commands()
    {
        var version = KraitProcess.Run(["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\s*$", version.StandardOutput);

        var unknown = KraitProcess.Run(["frobnicate"]);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("frobnicate", unknown.StandardError, StringComparison.Ordinal);
    }
}
