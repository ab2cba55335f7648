using System.CommandLine;
using System.Text.Json;
using Krait.Build.Recipes;
using Krait.Cli.Building;
using Krait.Build.Rendering;
using Krait.Cli.Output;
using Krait.Conda.Platforms;
using Krait.Configuration;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait render RECIPE [-m VARIANTS]... [--target-platform P] [--json]</c>, as <c>conda render</c> and
/// <c>rattler-build build --render-only</c>: the packages a v1 recipe makes for a platform, one per variant it
/// uses, with their build strings and requirements, before anything is built. The <c>conda_build_config.yaml</c>
/// and <c>variants.yaml</c> beside the recipe are read first, as conda-build and rattler-build do.
/// </summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "a recipe.yaml, or the folder that holds one" };
        var variants = new Option<string[]>("--variant-config", "-m") { Description = "a variants.yaml or conda_build_config.yaml (several: later ones win)", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string?>("--target-platform") { Description = "the platform to render for (default: this machine's)" };
        var json = new Option<bool>("--json") { Description = "print the packages as JSON" };
        var command = new Command("render", "Show the packages a recipe makes, per variant, without building them.") { recipe, variants, platform, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(parse.GetValue(recipe)!, parse.GetValue(variants) ?? [], parse.GetValue(platform), asJson));
        });
        return command;
    }

    private static int Run(string recipe, string[] variantFiles, string? platform, bool json)
    {
        var file = RecipeFiles.Existing(recipe);

        var target = platform is null ? MachinePlatform.Current : Platform.Validate(platform);
        var packages = RecipeFiles.Render(file, variantFiles, target);

        if (json)
        {
            JsonOutput.Write(w => WriteJson(w, packages));
        }
        else if (packages.Count == 0)
        {
            Console.WriteLine(RecipeFiles.NothingToBuild(file, target));
        }
        else
        {
            packages.ToList().ForEach(WriteText);
        }

        return 0;
    }

    private static void WriteText(RenderedPackage package)
    {
        Console.WriteLine($"{package} ({package.Subdir})");
        Console.WriteLine($"  variant: {string.Join(", ", package.Variant.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
        var requirements = package.Requirements;
        foreach (var (section, list) in new[] { ("build", requirements.Build), ("host", requirements.Host), ("run", requirements.Run), ("run_constraints", requirements.RunConstraints), ("run_exports", requirements.RunExports.Weak.Concat(requirements.RunExports.Strong).ToList()) })
        {
            if (list.Count > 0)
            {
                Console.WriteLine($"  {section}: {string.Join(", ", list)}");
            }
        }
    }

    private static void WriteJson(Utf8JsonWriter w, IReadOnlyList<RenderedPackage> packages)
    {
        w.WriteStartArray();
        foreach (var package in packages)
        {
            var output = package.Output;
            w.WriteStartObject();
            w.WriteString("name", output.Name);
            w.WriteString("version", output.Version);
            w.WriteString("build", package.BuildString);
            w.WriteNumber("build_number", output.Build.Number);
            w.WriteString("subdir", package.Subdir);
            w.WriteString("noarch", output.Build.NoArch switch { Krait.Conda.Records.NoArchType.Python => "python", Krait.Conda.Records.NoArchType.Generic => "generic", _ => null });
            w.WriteStartObject("variant");
            foreach (var (key, value) in package.Variant.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteString("hash_input", package.HashInput);
            w.WriteStartObject("requirements");
            Strings(w, "build", package.Requirements.Build);
            Strings(w, "host", package.Requirements.Host);
            Strings(w, "run", package.Requirements.Run);
            Strings(w, "run_constraints", package.Requirements.RunConstraints);
            w.WriteEndObject();
            var exports = package.Requirements.RunExports;
            w.WriteStartObject("run_exports");
            foreach (var (kind, list) in new[] { ("weak", exports.Weak), ("strong", exports.Strong), ("noarch", exports.Noarch), ("weak_constraints", exports.WeakConstraints), ("strong_constraints", exports.StrongConstraints) })
            {
                if (list.Count > 0)
                {
                    Strings(w, kind, list);
                }
            }

            w.WriteEndObject();
            w.WriteStartArray("entry_points");
            output.Build.EntryPoints.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteNumber("tests", output.Tests.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<RecipeRequirement> requirements)
    {
        w.WriteStartArray(name);
        foreach (var requirement in requirements)
        {
            w.WriteStringValue(requirement.ToString());
        }

        w.WriteEndArray();
    }
}
