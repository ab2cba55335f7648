using System.Security.Cryptography;
using System.Text.Json;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// An environment as conda made it (its linked files, conda-meta records in conda's format with conda's channel
/// URLs and package cache paths, its history) is listed, extended, updated and shrunk by krait.
/// </summary>
public sealed class InteropTests : IDisposable
{
    private readonly TempFolder scratch = new("interop");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Krait_lists_installs_into_updates_and_removes_from_an_environment_conda_made()
    {
        var prefix = Path.Combine(scratch, "conda-env");
        var condaPkgs = Path.Combine(scratch, "opt-conda-pkgs");
        LinkLikeConda(prefix, condaPkgs, "dependency-1.0-0", "dependency", requested: null);
        LinkLikeConda(prefix, condaPkgs, "dependent-1.0-0", "dependent", requested: "dependent=1.0");
        LinkLikeConda(prefix, condaPkgs, "small-executable-1.0-0", "small-executable", requested: "small-executable");
        File.WriteAllText(Path.Combine(prefix, "conda-meta", "history"), """
            ==> 2025-03-01 10:00:00 <==
            # cmd: /opt/conda/bin/conda create -p /somewhere dependent=1.0 small-executable
            # conda version: 24.11.3
            +conda-test/noarch::dependency-1.0-0
            +conda-test/noarch::dependent-1.0-0
            +conda-test/noarch::small-executable-1.0-0
            # update specs: ['dependent=1.0', 'small-executable']

            """.ReplaceLineEndings("\n"));

        var environment = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") };
        string[] channel = ["-c", RepoPaths.Channel("conda-test-recipes"), "--override-channels", "--platform", "linux-64", "-y", "-q"];

        var list = KraitProcess.Run(["list", "-p", prefix, "--json"], environment);
        Assert.Equal(0, list.ExitCode);
        using (var json = JsonDocument.Parse(list.StandardOutput))
        {
            Assert.Equal(["dependency", "dependent", "small-executable"], json.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }

        var install = KraitProcess.Run(["install", "-p", prefix, .. channel, "another_dependent"], environment);
        Assert.True(install.ExitCode == 0, install.StandardError);
        Assert.Equal(["another_dependent-2.0-0", "dependency-1.0-0", "dependent-1.0-0", "small-executable-1.0-0"], Installed(prefix));

        var update = KraitProcess.Run(["update", "-p", prefix, .. channel, "dependent"], environment);
        Assert.True(update.ExitCode == 0, update.StandardError);
        Assert.Equal(["another_dependent-2.0-0", "dependency-2.0-0", "dependent-2.0-0", "small-executable-1.0-0"], Installed(prefix));

        // conda's record of small-executable names its files; removing it deletes exactly those.
        Assert.True(File.Exists(Path.Combine(prefix, "bin", "small")));
        var remove = KraitProcess.Run(["remove", "-p", prefix, "-y", "-q", "small-executable"], environment);
        Assert.True(remove.ExitCode == 0, remove.StandardError);
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "small")));
        Assert.False(Directory.Exists(Path.Combine(prefix, "etc", "conda")));
        Assert.Equal(["another_dependent-2.0-0", "dependency-2.0-0", "dependent-2.0-0"], Installed(prefix));
        Assert.StartsWith("==> 2025-03-01 10:00:00 <==\n# cmd: /opt/conda/bin/conda create", File.ReadAllText(Path.Combine(prefix, "conda-meta", "history")), StringComparison.Ordinal);

        var explicitList = KraitProcess.Run(["list", "-p", prefix, "--explicit"], environment);
        Assert.Equal(3, explicitList.StandardOutput.Split('\n').Count(l => l.StartsWith("file://", StringComparison.Ordinal)));
    }

    private static string[] Installed(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>What conda does for one package: extract into its pkgs dir, hard-link the files, write its conda-meta record.</summary>
    private static void LinkLikeConda(string prefix, string condaPkgs, string stem, string name, string? requested)
    {
        var archive = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", stem + ".conda");
        var extracted = Path.Combine(condaPkgs, stem);
        PackageExtractor.Extract(archive, extracted);
        var paths = PathsJson.Read(extracted)!.Paths;
        foreach (var entry in paths)
        {
            var target = Path.Combine(prefix, entry.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(extracted, entry.Path), target);
        }

        var bytes = File.ReadAllBytes(archive);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(extracted, "info", "index.json")));
        var version = index.RootElement.GetProperty("version").GetString()!;
        var meta = Path.Combine(prefix, "conda-meta");
        Directory.CreateDirectory(meta);
        using var stream = File.Create(Path.Combine(meta, stem + ".json"));
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("build", "0");
        writer.WriteNumber("build_number", 0);
        writer.WriteString("channel", "https://conda.anaconda.org/conda-test/noarch");
        writer.WriteStartArray("constrains");
        writer.WriteEndArray();
        writer.WriteStartArray("depends");
        foreach (var dependency in index.RootElement.GetProperty("depends").EnumerateArray())
        {
            writer.WriteStringValue(dependency.GetString());
        }

        writer.WriteEndArray();
        writer.WriteString("extracted_package_dir", extracted);
        writer.WriteString("features", string.Empty);
        writer.WriteStartArray("files");
        foreach (var entry in paths)
        {
            writer.WriteStringValue(entry.Path);
        }

        writer.WriteEndArray();
        writer.WriteString("fn", stem + ".conda");
        writer.WriteString("license", "BSD");
        writer.WriteStartObject("link");
        writer.WriteString("source", extracted);
        writer.WriteNumber("type", 1);
        writer.WriteEndObject();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5); // conda records md5 beside sha256
        md5.AppendData(bytes);
        writer.WriteString("md5", Convert.ToHexStringLower(md5.GetHashAndReset()));
        writer.WriteString("name", name);
        writer.WriteNull("noarch");
        writer.WriteString("package_tarball_full_path", Path.Combine(condaPkgs, stem + ".conda"));
        writer.WriteStartObject("paths_data");
        writer.WriteStartArray("paths");
        foreach (var entry in paths)
        {
            writer.WriteStartObject();
            writer.WriteString("_path", entry.Path);
            writer.WriteString("path_type", entry.PathType);
            writer.WriteString("sha256", entry.Sha256);
            writer.WriteString("sha256_in_prefix", entry.Sha256);
            writer.WriteNumber("size_in_bytes", entry.SizeInBytes ?? 0);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("paths_version", 1);
        writer.WriteEndObject();
        writer.WriteString("requested_spec", requested ?? "None");
        writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        writer.WriteNumber("size", bytes.Length);
        writer.WriteString("subdir", "noarch");
        writer.WriteNumber("timestamp", 1_600_000_000_000);
        writer.WriteString("track_features", string.Empty);
        writer.WriteString("url", $"https://conda.anaconda.org/conda-test/noarch/{stem}.conda");
        writer.WriteString("version", version);
        writer.WriteEndObject();
    }
}
