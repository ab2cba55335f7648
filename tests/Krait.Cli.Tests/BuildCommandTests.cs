using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// <c>krait build</c> on the real recipes kept with Krait.Build's tests, with this machine's gcc and python: the
/// packages are built, tested, installed by Krait into environments elsewhere, and run from there.
/// </summary>
public sealed class BuildCommandTests : IClassFixture<BuildToolsChannel>, IClassFixture<RealPythonChannel>, IDisposable
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Root, "tests", "Krait.Build.Tests", "Recipes");
    private readonly BuildToolsChannel tools;
    private readonly RealPythonChannel python;
    private readonly TempFolder scratch = new TempFolder("build").Create();
    private readonly Dictionary<string, string> environment;

    public BuildCommandTests(BuildToolsChannel tools, RealPythonChannel python)
    {
        this.tools = tools;
        this.python = python;
        environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs"), ["CONDA_ENVS_DIRS"] = scratch.Combine("envs") };
    }

    private string Output => scratch.Combine("output");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_c_library_is_built_tested_and_installed_with_its_prefix_replaced_and_a_second_recipe_links_against_it()
    {
        var built = Krait("build", Path.Combine(Recipes, "libgreet"), "-c", tools.Channel, "--output-dir", Output);
        Assert.Contains("Test 1 of libgreet passed", built, StringComparison.Ordinal);
        Assert.Contains("Test 2 of libgreet passed", built, StringComparison.Ordinal);
        var archive = Assert.Single(Directory.GetFiles(Path.Combine(Output, "linux-64"), "libgreet-1.2.3-h*_0.conda"));

        // Conda's own archive library reads it; its metadata says what conda-build would.
        var extracted = scratch.Combine("extracted");
        ExternalProgram.Run(RequiredTool.Find("cph", "apt-get install conda-package-handling"), "x", archive, "--dest", extracted);
        var info = Path.Combine(extracted, "info");
        var paths = JsonDocument.Parse(File.ReadAllText(Path.Combine(info, "paths.json"))).RootElement.GetProperty("paths").EnumerateArray()
            .ToDictionary(p => p.GetProperty("_path").GetString()!);
        Assert.Equal(["include/greet.h", "lib/libgreet.so", "lib/libgreet.so.1", "lib/pkgconfig/greet.pc"], paths.Keys.Order(StringComparer.Ordinal));
        var pc = paths["lib/pkgconfig/greet.pc"];
        Assert.Equal("text", pc.GetProperty("file_mode").GetString());
        Assert.Equal(255, pc.GetProperty("prefix_placeholder").GetString()!.Length);
        Assert.Contains("/host_env_placehold_placehold", pc.GetProperty("prefix_placeholder").GetString(), StringComparison.Ordinal);
        Assert.Equal("softlink", paths["lib/libgreet.so"].GetProperty("path_type").GetString());
        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(info, "index.json"))).RootElement;
        Assert.Equal(("libgreet", "linux-64", "x86_64"), (index.GetProperty("name").GetString(), index.GetProperty("subdir").GetString(), index.GetProperty("arch").GetString()));
        var runExports = JsonDocument.Parse(File.ReadAllText(Path.Combine(info, "run_exports.json"))).RootElement;
        Assert.Equal(["weak"], runExports.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["libgreet >=1.2.3,<1.3.0a0"], runExports.GetProperty("weak").EnumerateArray().Select(e => e.GetString()));
        Assert.True(File.Exists(Path.Combine(info, "recipe", "recipe.yaml")));
        Assert.Equal("- package_contents:\n    files:\n      - lib/pkgconfig/greet.pc\n    lib:\n      - greet\n    include:\n      - greet.h\n- script:\n    - test -f \"$PREFIX/lib/libgreet.so\"\n", File.ReadAllText(Path.Combine(info, "tests", "tests.yaml")));

        // The same recipe builds to the same bytes.
        var first = File.ReadAllBytes(archive);
        Krait("build", Path.Combine(Recipes, "libgreet"), "-c", tools.Channel, "--output-dir", Output, "--no-test");
        Assert.Equal(first, File.ReadAllBytes(archive));

        // A second recipe builds against it: libgreet's run_exports become its run requirement, and its binary's
        // rpath names the padded host prefix, which the installer rewrites.
        var app = Krait("build", Path.Combine(Recipes, "greetapp"), "-c", tools.Channel, "--output-dir", Output);
        Assert.Contains("Test 1 of greetapp passed", app, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(Krait("search", "-c", Output, "--override-channels", "greetapp", "--json")).RootElement.GetProperty("greetapp")[0];
        Assert.Equal(["libgreet >=1.2.3,<1.3.0a0"], listed.GetProperty("depends").EnumerateArray().Select(d => d.GetString()));

        var prefix = scratch.Combine("envs", "greet");
        Krait("create", "-y", "-q", "-p", prefix, "-c", Output, "--override-channels", "greetapp");
        Assert.Equal("hello from libgreet", ExternalProgram.Run(Path.Combine(prefix, "bin", "greetapp")).Trim());
        Assert.StartsWith($"prefix={prefix}\n", File.ReadAllText(Path.Combine(prefix, "lib", "pkgconfig", "greet.pc")), StringComparison.Ordinal);
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", prefix], environment).ExitCode);
    }

    [Fact]
    public void A_v0_meta_yaml_recipe_builds_with_its_build_sh_and_passes_its_tests()
    {
        var built = Krait("build", Path.Combine(Recipes, "greet-v0"), "-c", tools.Channel, "--output-dir", Output);
        Assert.Contains("Test 1 of libgreet-v0 passed", built, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(Output, "linux-64"), "libgreet-v0-1.2.3-h*_3.conda"));
        var rendered = KraitProcess.Run(["render", Path.Combine(Recipes, "greet-v0"), "--target-platform", "win-64"], environment);
        Assert.Contains("Nothing to build", rendered.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noarch_python_package_with_an_entry_point_runs_from_the_environment()
    {
        var built = Krait("build", Path.Combine(Recipes, "pygreet"), "-c", python.Channel, "--output-dir", Output);
        Assert.Contains("Test 1 of pygreet passed", built, StringComparison.Ordinal);
        var archive = Assert.Single(Directory.GetFiles(Path.Combine(Output, "noarch"), "pygreet-0.4.0-pyh*_2.conda"));
        var extracted = scratch.Combine("extracted");
        ExternalProgram.Run(RequiredTool.Find("cph", "apt-get install conda-package-handling"), "x", archive, "--dest", extracted);
        var root = extracted;
        Assert.True(File.Exists(Path.Combine(root, "site-packages", "pygreet", "cli.py")));
        Assert.Contains("pygreet = pygreet.cli:main", File.ReadAllText(Path.Combine(root, "info", "link.json")), StringComparison.Ordinal);

        var prefix = scratch.Combine("envs", "py");
        Krait("create", "-y", "-q", "-p", prefix, "-c", Output, "-c", python.Channel, "--override-channels", "pygreet");
        Assert.Equal("hello from pygreet", ExternalProgram.Run(Path.Combine(prefix, "bin", "pygreet")).Trim());
    }

    [Fact]
    public void A_multi_output_recipe_and_a_variant_matrix_each_make_their_packages()
    {
        Krait("build", Path.Combine(Recipes, "multi"), "-c", tools.Channel, "--output-dir", Output);
        var core = Assert.Single(Directory.GetFiles(Path.Combine(Output, "linux-64"), "libgreet-core-2.0.1-*_1.conda"));
        var build = Path.GetFileName(core)["libgreet-core-2.0.1-".Length..^".conda".Length];
        var greetTools = JsonDocument.Parse(Krait("search", "-c", Output, "--override-channels", "greet-tools", "--json")).RootElement.GetProperty("greet-tools")[0];
        Assert.Equal($"libgreet-core ==2.0.1 {build}", greetTools.GetProperty("depends")[0].GetString());

        var variants = Krait("build", Path.Combine(Recipes, "greeting"), "--output-dir", Output);
        var greetings = Directory.GetFiles(Path.Combine(Output, "noarch"), "greeting-1.0-h*_0.conda");
        Assert.Equal(2, greetings.Length);
        Assert.Contains("Built 2 package(s)", variants, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_url_source_is_downloaded_checked_and_kept()
    {
        var served = scratch.Combine("served");
        Directory.CreateDirectory(served);
        var tarball = Path.Combine(served, "words-1.0.tar.gz");
        await using (var file = File.Create(tarball))
        await using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal))
        await using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "words-1.0/words.txt") { DataStream = new MemoryStream("alpha\nbeta\n"u8.ToArray()) });
        }

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(tarball)));
        await using var server = ChannelServer.Start(served);
        var recipe = scratch.Combine("words");
        Directory.CreateDirectory(recipe);
        await File.WriteAllTextAsync(Path.Combine(recipe, "recipe.yaml"), $"package:\n  name: words\n  version: '1.0'\nsource:\n  url: {server.Url}/words-1.0.tar.gz\n  sha256: {sha256}\nbuild:\n  noarch: generic\n  script:\n    - mkdir -p $PREFIX/share && cp words.txt $PREFIX/share/\n");
        Krait("build", recipe, "--output-dir", Output);
        Assert.Single(Directory.GetFiles(Path.Combine(Output, "noarch"), "words-1.0-*.conda"));
        Assert.Single(Directory.GetFiles(Path.Combine(Output, "src_cache"), "*-words-1.0.tar.gz"));

        await File.WriteAllTextAsync(Path.Combine(recipe, "recipe.yaml"), $"package:\n  name: words\n  version: '1.0'\nsource:\n  url: {server.Url}/words-1.0.tar.gz\n  sha256: {new string('a', 64)}\nbuild:\n  noarch: generic\n  script:\n    - cp words.txt $PREFIX/\n");
        var refused = KraitProcess.Run(["build", recipe, "--output-dir", scratch.Combine("other")], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("could not be downloaded", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_script_or_test_fails_the_build_and_leaves_no_package()
    {
        var recipe = scratch.Combine("broken");
        Directory.CreateDirectory(recipe);
        File.WriteAllText(Path.Combine(recipe, "recipe.yaml"), "package:\n  name: broken\n  version: '1'\nbuild:\n  script:\n    - echo about to fail\n    - exit 3\n");
        var failed = KraitProcess.Run(["build", recipe, "--output-dir", Output], environment);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("the build script of broken-1-", failed.StandardError, StringComparison.Ordinal);
        Assert.Contains("failed (exit code 3)", failed.StandardError, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(recipe, "recipe.yaml"), "package:\n  name: untested\n  version: '1'\nbuild:\n  script:\n    - mkdir -p $PREFIX/share && touch $PREFIX/share/x\ntests:\n  - package_contents:\n      files:\n        - share/y\n");
        var untested = KraitProcess.Run(["build", recipe, "--output-dir", Output], environment);
        Assert.Equal(1, untested.ExitCode);
        Assert.Contains("(package_contents) failed: the package has no share/y", untested.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Output, "untested-*", SearchOption.AllDirectories));
    }

    private string Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}:\n{result.StandardError}\n{result.StandardOutput}");
        return result.StandardOutput;
    }
}
