using Krait.Build.Recipes;
using Krait.Build.Variants;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using YamlDotNet.RepresentationModel;

namespace Krait.Build.Rendering;

/// <summary>
/// Renders a recipe into the packages it makes for a platform: once with the first value of every variant key, to
/// learn which keys the recipe uses; then once per combination of those keys' values (zip keys respected); the
/// used keys plus <c>target_platform</c> give each package's build hash (<see cref="BuildHash"/>), and a second
/// pass per output gives <c>${{ hash }}</c> its value. Outputs skipped for the platform or variant are left out,
/// and a package that several variants render alike is listed once.
/// </summary>
public static class RecipeRenderer
{
    public static IReadOnlyList<RenderedPackage> Render(string recipeFile, VariantConfig config, string targetPlatform)
    {
        ArgumentNullException.ThrowIfNull(recipeFile);
        ArgumentNullException.ThrowIfNull(config);
        if (!File.Exists(recipeFile))
        {
            throw new RecipeException($"{recipeFile}: no recipe here (a recipe.yaml, or a meta.yaml, is expected)");
        }

        var text = File.ReadAllText(recipeFile);
        if (Path.GetFileName(recipeFile) == "meta.yaml")
        {
            // A v0 recipe's selectors depend on the variant: it is translated anew for every scope.
            return Render(scope => MetaYaml.Translate(text, recipeFile, scope), recipeFile, config, Platform.Validate(targetPlatform));
        }

        var root = RecipeReader.Load(text, recipeFile);
        return Render(_ => root, recipeFile, config, Platform.Validate(targetPlatform));
    }

    /// <param name="load">The recipe as v1 YAML for a scope (a v1 recipe is the same for all).</param>
    public static IReadOnlyList<RenderedPackage> Render(Func<RecipeScope, YamlMappingNode> load, string file, VariantConfig config, string targetPlatform)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(config);
        var defaults = config.FirstValues();
        var probe = new RecipeScope(defaults, targetPlatform);
        RecipeReader.Read(load(probe), probe, file);

        var packages = new List<RenderedPackage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var combination in config.Combinations(probe.UsedVariantKeys))
        {
            var variant = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
            foreach (var (key, value) in combination)
            {
                variant[key] = value;
            }

            var first = new RecipeScope(variant, targetPlatform);
            var outputs = RecipeReader.Read(load(first), first, file);
            var rendered = new List<(RecipeOutput Output, string Build, Dictionary<string, string> Used, string Input)>();
            for (var i = 0; i < outputs.Count; i++)
            {
                if (outputs[i].Build.Skip)
                {
                    continue;
                }

                var used = first.UsedVariantKeys.ToDictionary(k => k, k => variant[k], StringComparer.Ordinal);
                used["target_platform"] = outputs[i].Build.NoArch == NoArchType.None ? targetPlatform : Platform.NoArch;
                var hash = BuildHash.Compute(used, outputs[i].Build.NoArch);
                var final = new RecipeScope(variant, targetPlatform, hash);
                var output = RecipeReader.Read(load(final), final, file)[i];
                rendered.Add((output, output.Build.String ?? $"{hash}_{output.Build.Number}", used, BuildHash.Input(used)));
            }

            foreach (var (output, build, used, input) in rendered)
            {
                var package = new RenderedPackage(output, output.Build.NoArch == NoArchType.None ? targetPlatform : Platform.NoArch, build, used, input, ResolveSubpackagePins(output, rendered.Select(r => (r.Output, r.Build)).ToList()));
                if (!PackageNaming.IsValidBuild(build))
                {
                    throw new RecipeException($"{file}: the build string '{build}' of {output.Name} is not valid (letters, digits, '_' and '.')");
                }

                if (seen.Add($"{package.Subdir}/{package}"))
                {
                    packages.Add(package);
                }
            }
        }

        return packages;
    }

    /// <summary>Every <c>pin_subpackage</c> of an output, now that the recipe's outputs have versions and builds.</summary>
    private static RecipeRequirements ResolveSubpackagePins(RecipeOutput output, IReadOnlyList<(RecipeOutput Output, string Build)> siblings)
    {
        List<RecipeRequirement> Resolve(IReadOnlyList<RecipeRequirement> requirements) => [.. requirements.Select(r =>
        {
            if (r.Pin is not { Kind: PinKind.Subpackage } pin)
            {
                return r;
            }

            var target = siblings.FirstOrDefault(s => s.Output.Name == pin.Name);
            return target.Output is null
                ? throw new RecipeException($"{output.Name}: pin_subpackage('{pin.Name}') names no output of this recipe (outputs: {string.Join(", ", siblings.Select(s => s.Output.Name))})")
                : new RecipeRequirement(pin.Resolve(target.Output.Version, target.Build), null);
        })];

        var requirements = output.Requirements;
        var exports = requirements.RunExports;
        return requirements with
        {
            Build = Resolve(requirements.Build),
            Host = Resolve(requirements.Host),
            Run = Resolve(requirements.Run),
            RunConstraints = Resolve(requirements.RunConstraints),
            RunExports = new RunExports(Resolve(exports.Weak), Resolve(exports.Strong), Resolve(exports.Noarch), Resolve(exports.WeakConstraints), Resolve(exports.StrongConstraints)),
        };
    }
}
