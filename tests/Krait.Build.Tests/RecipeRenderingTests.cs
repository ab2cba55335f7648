using Krait.Build.Recipes;
using Krait.Build.Rendering;
using Krait.Build.Variants;
using Krait.Conda.Records;
using Krait.TestSupport;

namespace Krait.Build.Tests;

/// <summary>The recipes under <c>Recipes/</c>, rendered for platforms and variants; and bad recipes, which must say where they are bad.</summary>
public sealed class RecipeRenderingTests : IDisposable
{
    private static readonly string Recipes = Path.Combine(AppContext.BaseDirectory, "Recipes");
    private readonly TempFolder scratch = new TempFolder("recipes").Create();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_single_output_recipe_renders_with_its_context_and_a_pinned_run_export()
    {
        var package = Assert.Single(RecipeRenderer.Render(Path.Combine(Recipes, "libgreet", "recipe.yaml"), VariantConfig.Empty, "linux-64"));
        Assert.Equal(("libgreet", "1.2.3", "linux-64"), (package.Output.Name, package.Output.Version, package.Subdir));
        Assert.Equal(["make install PREFIX=\"$PREFIX\" SOVERSION=1"], package.Output.Build.Script!.Lines);
        Assert.Equal(["gcc_linux-64", "make"], package.Requirements.Build.Select(r => r.Spec));
        Assert.Equal(["libgreet >=1.2.3,<1.3.0a0"], package.Requirements.RunExports.Weak.Select(r => r.Spec));
        Assert.Equal("src", Assert.Single(package.Output.Sources).Path);

        // The compiler is the only variant input: its key, with target_platform, is hashed.
        Assert.Equal(new Dictionary<string, string> { ["target_platform"] = "linux-64" }, package.Variant);
        Assert.Equal($"{BuildHash.Compute(package.Variant, NoArchType.None)}_0", package.BuildString);

        var tests = package.Output.Tests;
        Assert.Equal(["greet"], Assert.IsType<PackageContentsTest>(tests[0]).Lib);
        Assert.Equal(["test -f \"$PREFIX/lib/libgreet.so\""], Assert.IsType<ScriptTest>(tests[1]).Lines);
        Assert.Equal(("MIT", "Says hello, from C."), (package.Output.About.License, package.Output.About.Summary));

        var mac = Assert.Single(RecipeRenderer.Render(Path.Combine(Recipes, "libgreet", "recipe.yaml"), VariantConfig.Empty, "osx-arm64"));
        Assert.Equal("clang_osx-arm64", mac.Requirements.Build[0].Spec);
        Assert.Equal(["test -f \"$PREFIX/lib/libgreet.dylib\""], Assert.IsType<ScriptTest>(mac.Output.Tests[1]).Lines);
        Assert.NotEqual(package.BuildString, mac.BuildString);
    }

    [Fact]
    public void A_noarch_python_recipe_gets_a_py_build_string_and_entry_points()
    {
        var package = Assert.Single(RecipeRenderer.Render(Path.Combine(Recipes, "pygreet", "recipe.yaml"), VariantConfig.Empty, "linux-64"));
        Assert.Equal("noarch", package.Subdir);
        Assert.Matches("^pyh[0-9a-f]{7}_2$", package.BuildString);
        Assert.Equal(NoArchType.Python, package.Output.Build.NoArch);
        Assert.Equal("build.sh", package.Output.Build.Script!.File);
        Assert.Equal(["pygreet = pygreet.cli:main"], package.Output.Build.EntryPoints);
        Assert.Equal(["pygreet"], Assert.IsType<PythonTest>(Assert.Single(package.Output.Tests)).Imports);

        // A noarch package is the same on every platform.
        Assert.Equal(package.BuildString, Assert.Single(RecipeRenderer.Render(Path.Combine(Recipes, "pygreet", "recipe.yaml"), VariantConfig.Empty, "win-64")).BuildString);
    }

    [Fact]
    public void Outputs_inherit_the_recipes_sections_and_pin_each_other()
    {
        var packages = RecipeRenderer.Render(Path.Combine(Recipes, "multi", "recipe.yaml"), VariantConfig.Empty, "linux-64");
        Assert.Equal(["libgreet-core", "greet-tools"], packages.Select(p => p.Output.Name));
        var (core, tools) = (packages[0], packages[1]);
        Assert.All(packages, p => Assert.Equal(("2.0.1", 1L, "../libgreet/src"), (p.Output.Version, p.Output.Build.Number, p.Output.Sources[0].Path)));
        Assert.Equal(["libgreet-core >=2.0.1,<3.0a0"], core.Requirements.RunExports.Weak.Select(r => r.Spec));
        Assert.Equal([$"libgreet-core ==2.0.1 {core.BuildString}", "bash", "coreutils >=9"], tools.Requirements.Run.Select(r => r.Spec));
        Assert.Equal(("noarch", "The greet tools."), (tools.Subdir, tools.Output.About.Summary));

        var windows = RecipeRenderer.Render(Path.Combine(Recipes, "multi", "recipe.yaml"), VariantConfig.Empty, "win-64");
        Assert.Equal("vs2015_runtime", windows[1].Requirements.Run[1].Spec);
    }

    [Fact]
    public void A_variant_matrix_builds_the_zipped_combinations_the_recipe_uses()
    {
        var config = VariantConfig.Read([Path.Combine(Recipes, "variants", "variants.yaml")]);
        var packages = RecipeRenderer.Render(Path.Combine(Recipes, "variants", "recipe.yaml"), config, "linux-64");

        // python and numpy are zipped (3 pairs, not 9); 3.9 is skipped by match(); unused_key multiplies nothing.
        Assert.Equal(2, packages.Count);
        Assert.Equal([["python 3.11.*", "numpy 1.26.*"], ["python 3.12.*", "numpy 2.0.*"]], packages.Select(p => p.Requirements.Host.Select(r => r.Spec).ToList()));
        Assert.Equal(["gcc_linux-64 13.*", "gcc_linux-64 13.*"], packages.Select(p => p.Requirements.Build[0].Spec));
        Assert.Equal(["c_compiler", "c_compiler_version", "numpy", "python", "target_platform"], packages[0].Variant.Keys.Order(StringComparer.Ordinal));
        Assert.Matches("^np126py311h[0-9a-f]{7}_0$", packages[0].BuildString);
        Assert.Matches("^np20py312h[0-9a-f]{7}_0$", packages[1].BuildString);
        Assert.Equal("echo building for python 3.11 and numpy 1.26", packages[0].Output.Build.Script!.Lines![0]);
        Assert.Equal(PinKind.Compatible, packages[0].Requirements.Run[0].Pin!.Kind);
        Assert.Equal(BuildHash.Input(packages[0].Variant), packages[0].HashInput);

        Assert.Empty(RecipeRenderer.Render(Path.Combine(Recipes, "variants", "recipe.yaml"), config, "win-64"));
    }

    [Theory]
    [InlineData("package:\n  name: x\n  version: '1'\nbuild:\n  numbr: 1\n", "recipe.yaml:5:10: unknown key 'numbr' in build")]
    [InlineData("package:\n  name: x\n  version: ${{ nope }}\n", "recipe.yaml:3:16: 'nope' is not defined")]
    [InlineData("package:\n  name: X Y\n  version: '1'\n", "recipe.yaml:2:9: 'X Y' is not a package name")]
    [InlineData("package:\n  name: x\n  version: '1'\nrequirements:\n  run:\n    - 'python >>3'\n", "recipe.yaml:6:7: 'python >>3' in requirements.run is not a match spec")]
    [InlineData("package:\n  name: x\n  version: '1'\nsource:\n  url: https://example.org/x.tar.gz\n", "recipe.yaml:5:3: a 'url:' source needs 'sha256:'")]
    [InlineData("package:\n  name: x\n  version: '1'\nrequirements:\n  run:\n    - if: linux\n      than: a\n", "recipe.yaml:7:7: an 'if:' item has only 'then:' and 'else:'")]
    [InlineData("packages:\n  name: x\n", "recipe.yaml:1:1: unknown top-level key 'packages'")]
    [InlineData("package:\n  name: x\n  version: '1'\nbuild:\n  noarch: java\n", "recipe.yaml:5:11: noarch is 'python' or 'generic'")]
    [InlineData("package: [\n", "recipe.yaml:2:1: invalid YAML")]
    [InlineData("schema_version: 2\npackage:\n  name: x\n  version: '1'\n", "recipe.yaml:1:17: schema_version 2 is not known")]
    public void Bad_recipes_name_the_file_line_and_column(string yaml, string expected)
    {
        var file = scratch.Combine("recipe.yaml");
        File.WriteAllText(file, yaml);
        var error = Assert.Throws<RecipeException>(() => RecipeRenderer.Render(file, VariantConfig.Empty, "linux-64"));
        Assert.StartsWith(file[..^"recipe.yaml".Length], error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v0_meta_yaml_renders_like_the_v1_recipe_it_translates_to()
    {
        var meta = Path.Combine(Recipes, "greet-v0", "meta.yaml");
        var package = Assert.Single(RecipeRenderer.Render(meta, VariantConfig.Empty, "linux-64"));
        Assert.Equal(("libgreet-v0", "1.2.3", 3L), (package.Output.Name, package.Output.Version, package.Output.Build.Number));
        Assert.Equal(["gcc_linux-64", "make"], package.Requirements.Build.Select(r => r.Spec));
        Assert.Empty(package.Requirements.Run); // the selector is false on x86_64
        Assert.Equal(["libgreet-v0 >=1.2.3,<1.3.0a0"], package.Requirements.RunExports.Weak.Select(r => r.Spec));
        Assert.Equal(["test -f $PREFIX/lib/libgreet.so", "test -f $PREFIX/include/greet.h"], Assert.IsType<ScriptTest>(Assert.Single(package.Output.Tests)).Lines);
        Assert.Equal(("https://example.org/libgreet", "https://example.org/libgreet/source"), (package.Output.About.Homepage, package.Output.About.Repository));
        Assert.Null(package.Output.Build.Script); // build.sh beside it, as conda-build runs it

        Assert.Equal(["libgcc-ng"], Assert.Single(RecipeRenderer.Render(meta, VariantConfig.Empty, "linux-aarch64")).Requirements.Run.Select(r => r.Spec));
        Assert.Equal(["test -f $PREFIX/include/greet.h"], Assert.IsType<ScriptTest>(Assert.Single(Assert.Single(RecipeRenderer.Render(meta, VariantConfig.Empty, "osx-arm64")).Output.Tests)).Lines);
        Assert.Empty(RecipeRenderer.Render(meta, VariantConfig.Empty, "win-64"));
    }

    [Theory]
    [InlineData("{% set v = '1' %}\npackage:\n  name: x\n  version: {{ v }}\n{% if linux %}\n", "meta.yaml:5:1: only {% set NAME = VALUE %} is read in meta.yaml")]
    [InlineData("package:\n  name: x\n  version: '1'\nbuild:\n  rpaths:\n    - lib\n", "meta.yaml:5:3: build.rpaths is not supported in meta.yaml by Krait")]
    [InlineData("package:\n  name: x\n  version: '1'\nrequirements:\n  run:\n    - a  # [linux and]\n", "meta.yaml:6:22: the expression ends too early (in the selector [linux and])")]
    [InlineData("package:\n  name: x\n  version: {{ nope }}\n", "meta.yaml:3:16: 'nope' is not defined")]
    public void Bad_meta_yaml_names_the_line(string yaml, string expected)
    {
        var file = scratch.Combine("meta.yaml");
        File.WriteAllText(file, yaml);
        var error = Assert.Throws<RecipeException>(() => RecipeRenderer.Render(file, VariantConfig.Empty, "linux-64"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Meta_yaml_selectors_read_the_python_variant_as_conda_build_does()
    {
        var file = scratch.Combine("meta.yaml");
        File.WriteAllText(file, "package:\n  name: x\n  version: '1'\nbuild:\n  skip: true  # [py<310]\nrequirements:\n  host:\n    - python\n");
        var config = new VariantConfig();
        config.Add("python: ['3.9', '3.11']\n", "variants.yaml");
        var package = Assert.Single(RecipeRenderer.Render(file, config, "linux-64"));
        Assert.Equal("python 3.11.*", package.Requirements.Host[0].Spec);
        Assert.StartsWith("py311h", package.BuildString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conda_build_config_yaml_has_its_selectors_applied_for_the_platform()
    {
        var file = scratch.Combine("conda_build_config.yaml");
        File.WriteAllText(file, "c_compiler:\n  - gcc      # [linux]\n  - vs2019   # [win]\npython:\n  - '3.11'\n  - '3.12'   # [not win]\n");
        Assert.Equal(["gcc"], VariantConfig.Read([file], "linux-64").Values["c_compiler"]);
        var windows = VariantConfig.Read([file], "win-64");
        Assert.Equal(["vs2019"], windows.Values["c_compiler"]);
        Assert.Equal(["3.11"], windows.Values["python"]);
    }

    [Fact]
    public void Zipped_keys_of_different_lengths_are_refused()
    {
        var config = new VariantConfig();
        var error = Assert.Throws<RecipeException>(() => config.Add("python: ['3.11', '3.12']\nnumpy: ['2.0']\nzip_keys:\n  - [python, numpy]\n", "variants.yaml"));
        Assert.Contains("the zipped keys python, numpy need lists of one length, not 2 and 1", error.Message, StringComparison.Ordinal);
    }
}
