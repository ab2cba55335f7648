using System.CommandLine;
using Krait.Build.Building;
using Krait.Cli.Building;
using Krait.Cli.Output;
using Krait.Conda.Platforms;
using Krait.Configuration;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait build RECIPE [-c CHANNEL]... [--output-dir DIR] [-m VARIANTS]... [--target-platform P] [--no-test]
/// [--upload CHANNEL_URL [--api-key KEY]]</c>:
/// renders a v1 recipe (<see cref="RenderCommand"/>) and builds every package it makes for the platform, each from
/// its own build and host environment; the output folder is a channel (indexed after every package), so
/// <c>krait create -c ./output …</c> installs what was built, and later outputs of the recipe can need earlier ones.
/// With <c>--upload</c>, the packages go to a Krait Server (or quetz) channel once all of them are built and tested,
/// as <c>krait upload</c> sends them.
/// </summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "a recipe.yaml, or the folder that holds one" };
        var channels = new Option<string[]>("--channel", "-c") { Description = "channels for the build, host and test environments (default: the configured ones)", AllowMultipleArgumentsPerToken = false };
        var outputDirectory = new Option<string>("--output-dir") { Description = "where packages go, as a channel", DefaultValueFactory = _ => "output" };
        var variants = new Option<string[]>("--variant-config", "-m") { Description = "a variants.yaml or conda_build_config.yaml (several: later ones win)", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string?>("--target-platform") { Description = "the platform to build for (default: this machine's)" };
        var noTest = new Option<bool>("--no-test") { Description = "do not run the recipe's tests" };
        var upload = new Option<string?>("--upload") { Description = "a channel URL to upload the built packages to (as krait upload)" };
        var apiKey = new Option<string?>("--api-key") { Description = "with --upload: the API key ('-' reads it from standard input); default: krait auth login's for the host" };
        var command = new Command("build", "Build conda packages from a recipe.") { recipe, channels, outputDirectory, variants, platform, noTest, upload, apiKey };
        command.SetAction(parse => CommandRunner.Run(json: false, () => Run(
            parse.GetValue(recipe)!, parse.GetValue(channels) ?? [], parse.GetValue(outputDirectory)!, parse.GetValue(variants) ?? [], parse.GetValue(platform), !parse.GetValue(noTest), parse.GetValue(upload), parse.GetValue(apiKey))));
        return command;
    }

    private static int Run(string recipe, string[] channels, string outputDirectory, string[] variantFiles, string? platform, bool runTests, string? upload, string? apiKey)
    {
        if (apiKey is not null && upload is null)
        {
            throw new KraitException("ArgumentError", "--api-key is for --upload", "give --upload CHANNEL_URL, or leave out --api-key");
        }

        var file = RecipeFiles.Existing(recipe);

        var target = platform is null ? MachinePlatform.Current : Platform.Validate(platform);
        if (Platform.OperatingSystemOf(target) != Platform.OperatingSystemOf(Platform.Native))
        {
            throw new KraitException("BuildError", $"building for {target} on {Platform.Native} is not supported: the build script runs here", $"build on a {Platform.OperatingSystemOf(target)} machine, or render with krait render --target-platform {target}");
        }

        var recipeDirectory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var packages = RecipeFiles.Render(file, variantFiles, target);

        if (packages.Count == 0)
        {
            Console.WriteLine(RecipeFiles.NothingToBuild(file, target));
            return 0;
        }

        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var environments = new CliBuildEnvironments(channels, config, locations, quiet: false);
        var request = new BuildRequest(recipeDirectory, outputDirectory, environments, Console.Out, runTests, new SourceDownloads(config, locations, outputDirectory).Fetch);
        var built = new List<AssembledPackage>();
        foreach (var package in packages)
        {
            try
            {
                built.Add(RecipeBuilder.Build(package, request));
            }
            catch (BuildException e)
            {
                throw new KraitException("BuildError", $"{package}: {e.Message}", built.Count > 0 ? $"built before it: {string.Join(", ", built.Select(b => Path.GetFileName(b.Path)))}" : null);
            }
        }

        Console.WriteLine($"Built {built.Count} package(s) into the channel {Path.GetFullPath(outputDirectory)}:");
        built.ForEach(b => Console.WriteLine($"  {b.Subdir}/{Path.GetFileName(b.Path)}  {b.Size} bytes  sha256 {b.Sha256}"));
        return upload is null ? 0 : UploadCommand.Run(upload, label: null, force: false, apiKey, [.. built.Select(b => b.Path)]);
    }
}
