using Krait.Build.Rendering;
using Krait.Conda.Platforms;
using Krait.Index;

namespace Krait.Build.Building;

/// <summary>What a build needs beyond the package: where the recipe is, where packages go, how environments are made, where the log goes.</summary>
/// <param name="Download">Fetches a remote <c>url</c> source to a local file; null where there is no network.</param>
public sealed record BuildRequest(string RecipeDirectory, string OutputDirectory, IBuildEnvironments Environments, TextWriter Log, bool RunTests = true, Func<Recipes.RecipeSource, string>? Download = null);

/// <summary>
/// Builds one rendered package: sources into the work folder, the build environment (build platform) and the padded
/// host environment (target platform, with the build environment's strong run_exports), the script
/// (<see cref="BuildScript"/>), the package (<see cref="PackageAssembler"/>) with its final dependencies
/// (<see cref="DependencyResolution"/>), the output folder indexed as a channel, then the recipe's tests
/// (<see cref="RecipeTestRunner"/>) in a fresh environment of the new package; a failing test removes it again.
/// </summary>
public static class RecipeBuilder
{
    public static AssembledPackage Build(RenderedPackage package, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(request);
        var output = Path.GetFullPath(request.OutputDirectory);
        var folders = BuildFolders.For(output, $"{package.Output.Name}-{package.Output.Version}-{package.BuildString}");
        folders.Reset();
        var log = request.Log;
        log.WriteLine($"Building {package} ({package.Subdir}) in {folders.Root}");
        SourcePreparer.Prepare(package.Output.Sources, request.RecipeDirectory, folders.Source, request.Download);

        var requirements = package.Requirements;

        // The output folder is a channel from the start, so that an output can need one built before it (each
        // package built indexes it again).
        if (!File.Exists(Path.Combine(output, Platform.NoArch, "repodata.json")))
        {
            Directory.CreateDirectory(Path.Combine(output, Platform.NoArch));
            ChannelIndexer.Index(output);
        }
        string[] channels = [output];
        var buildSpecs = Specs(requirements.Build, "requirements.build");
        var build = buildSpecs.Count == 0 ? [] : request.Environments.Create(folders.BuildPrefix, buildSpecs, Platform.Native, "build", channels);
        Directory.CreateDirectory(folders.BuildPrefix);
        var hostSpecs = Specs(requirements.Host, "requirements.host").Concat(DependencyResolution.StrongFromBuild(requirements, build)).Distinct(StringComparer.Ordinal).ToList();
        var targetPlatform = package.Subdir == Platform.NoArch ? Platform.Native : package.Subdir;
        var host = hostSpecs.Count == 0 ? [] : request.Environments.Create(folders.HostPrefix, hostSpecs, targetPlatform, "host", channels);
        Directory.CreateDirectory(folders.HostPrefix);
        var pythonVersion = host.FirstOrDefault(h => h.Record.Name == "python")?.Record.Version;

        var before = PrefixSnapshot.Take(folders.HostPrefix);
        BuildScript.Run(package, folders, request.RecipeDirectory, BuildScript.Variables(package, folders, request.RecipeDirectory, pythonVersion), log);
        var (depends, constrains) = DependencyResolution.Resolve(requirements, package.Output.Build.NoArch, build, host);
        var assembled = PackageAssembler.Assemble(package, folders, before, request.RecipeDirectory, depends, constrains, output, pythonVersion);
        ChannelIndexer.Index(output);
        log.WriteLine($"Wrote {assembled.Path} ({assembled.Files} files, {assembled.Size} bytes)");

        if (request.RunTests && package.Output.Tests.Count > 0)
        {
            try
            {
                RecipeTestRunner.Run(package, assembled, folders, request);
            }
            catch (BuildException)
            {
                File.Delete(assembled.Path);
                ChannelIndexer.Index(output);
                throw;
            }
        }

        return assembled;
    }

    private static List<string> Specs(IReadOnlyList<Recipes.RecipeRequirement> requirements, string section) =>
        [.. requirements.Select(r => r.Spec ?? throw new BuildException($"{section}: {r} can only be used in run requirements and run_exports"))];
}
