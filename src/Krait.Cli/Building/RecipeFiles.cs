namespace Krait.Cli.Building;

/// <summary>Which file a recipe argument means: a file as given, or in a folder its <c>recipe.yaml</c>, else its <c>meta.yaml</c>.</summary>
internal static class RecipeFiles
{
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
}
