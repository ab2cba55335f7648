using Krait.Build.Recipes;
using Krait.Build.Rendering;
using Krait.Build.Variants;
using Krait.Cli.Output;

namespace Krait.Cli.Building;

/// <summary>
/// What <c>krait render</c> and <c>krait build</c> share: which file a recipe argument means (a file as given, or in
/// a folder its <c>recipe.yaml</c>, else its <c>meta.yaml</c>), its variant files, and its rendering, with the errors
/// they give.
/// </summary>
internal static class RecipeFiles
{
    private static readonly string[] VariantFileNames = ["conda_build_config.yaml", "variants.yaml"];

    /// <summary>The recipe file <paramref name="recipe"/> means; an error when there is none.</summary>
    public static string Existing(string recipe)
    {
        var file = Locate(recipe);
        return File.Exists(file) ? file : throw new KraitException("RecipeError", $"{file} does not exist", "give a recipe.yaml or meta.yaml, or the folder that holds one");
    }

    /// <summary>The packages <paramref name="file"/> makes for <paramref name="target"/> with its variant files and <paramref name="given"/>.</summary>
    public static IReadOnlyList<RenderedPackage> Render(string file, IReadOnlyList<string> given, string target)
    {
        try
        {
            return RecipeRenderer.Render(file, VariantConfig.Read(VariantFiles(file, given), target), target);
        }
        catch (RecipeException e)
        {
            throw new KraitException("RecipeError", e.Message);
        }
    }

    /// <summary>What is said when every output is skipped.</summary>
    public static string NothingToBuild(string file, string target) => $"Nothing to build: every output of {file} is skipped for {target}.";

    private static string Locate(string recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!Directory.Exists(recipe))
        {
            return recipe;
        }

        var v1 = Path.Combine(recipe, "recipe.yaml");
        var v0 = Path.Combine(recipe, "meta.yaml");
        return File.Exists(v1) || !File.Exists(v0) ? v1 : v0;
    }

    /// <summary>
    /// The variant files of a build: <c>conda_build_config.yaml</c> and <c>variants.yaml</c> beside the recipe (as
    /// conda-build and rattler-build find them), then the ones given with <c>-m</c>, which win.
    /// </summary>
    public static IReadOnlyList<string> VariantFiles(string recipeFile, IReadOnlyList<string> given)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(recipeFile))!;
        return [.. VariantFileNames.Select(name => Path.Combine(folder, name)).Where(File.Exists), .. given];
    }
}
