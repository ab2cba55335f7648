using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary><c>krait render</c> on the recipes kept for Krait.Build's tests: what a user sees before a build.</summary>
public sealed class RenderCommandTests : IDisposable
{
    private static readonly string Recipes = Path.Combine(RepoPaths.Root, "tests", "Krait.Build.Tests", "Recipes");
    private readonly TempFolder scratch = new TempFolder("render").Create();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Render_lists_each_variant_with_its_build_string_reading_the_variants_beside_the_recipe()
    {
        var result = KraitProcess.Run(["render", Path.Combine(Recipes, "variants"), "--target-platform", "linux-64", "--json"]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var packages = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, packages.Count);
        Assert.Equal(["3.11", "3.12"], packages.Select(p => p.GetProperty("variant").GetProperty("python").GetString()));
        Assert.Matches("^np126py311h[0-9a-f]{7}_0$", packages[0].GetProperty("build").GetString());
        Assert.Equal("linux-64", packages[0].GetProperty("subdir").GetString());
        Assert.Equal(["python 3.11.*", "numpy 1.26.*"], packages[0].GetProperty("requirements").GetProperty("host").EnumerateArray().Select(e => e.GetString()));

        // A further variant file wins over the one beside the recipe.
        var only312 = scratch.Combine("only312.yaml");
        File.WriteAllText(only312, "python: ['3.12']\nnumpy: ['2.0']\n");
        var narrowed = KraitProcess.Run(["render", Path.Combine(Recipes, "variants", "recipe.yaml"), "-m", only312, "--target-platform", "linux-64"]);
        Assert.Equal(0, narrowed.ExitCode);
        Assert.Matches(@"^npext-1\.0-np20py312h[0-9a-f]{7}_0 \(linux-64\)\n", narrowed.StandardOutput);
        Assert.Contains("  host: python 3.12.*, numpy 2.0.*\n", narrowed.StandardOutput, StringComparison.Ordinal);

        var windows = KraitProcess.Run(["render", Path.Combine(Recipes, "variants"), "--target-platform", "win-64"]);
        Assert.Equal(0, windows.ExitCode);
        Assert.Contains("Nothing to build: every output", windows.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_recipe_is_an_error_with_its_place()
    {
        var recipe = scratch.Combine("recipe.yaml");
        File.WriteAllText(recipe, "package:\n  name: x\n  version: ${{ nope }}\n");
        var result = KraitProcess.Run(["render", scratch.Path, "--json"]);
        Assert.Equal(1, result.ExitCode);
        var error = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("RecipeError", error.GetProperty("exception_name").GetString());
        Assert.Contains($"{recipe}:3:16: 'nope' is not defined", error.GetProperty("error").GetString(), StringComparison.Ordinal);

        var missing = KraitProcess.Run(["render", scratch.Combine("nowhere")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError, StringComparison.Ordinal);
    }
}
