namespace Krait.Cli.Building;

/// <summary>Which file a recipe argument means: a file as given, or in a folder its <c>recipe.yaml</c>, else its <c>meta.yaml</c>.</summary>
internal static class RecipeFiles
{
    private static readonly string[] VariantFileNames = ["conda_build_config.yaml", "variants.yaml"];

    public static string Locate(string recipe)
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
