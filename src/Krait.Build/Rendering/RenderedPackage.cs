using Krait.Build.Recipes;

namespace Krait.Build.Rendering;

/// <summary>
/// One package a recipe makes for one variant, ready to build: its output, the platform folder it goes in, its build
/// string, the variant keys it used (and the JSON they were hashed as), and its requirements with every
/// <c>pin_subpackage</c> resolved (a <c>pin_compatible</c> waits for the host environment).
/// </summary>
public sealed record RenderedPackage(
    RecipeOutput Output,
    string Subdir,
    string BuildString,
    IReadOnlyDictionary<string, string> Variant,
    string HashInput,
    RecipeRequirements Requirements)
{
    public override string ToString() => $"{Output.Name}-{Output.Version}-{BuildString}";
}
