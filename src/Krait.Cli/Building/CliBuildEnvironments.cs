using Krait.Build.Building;
using Krait.Cli.Installing;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Configuration.VirtualPackages;
using Krait.Install;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Cli.Building;

/// <summary>
/// The build's environments, made the way <c>krait create</c> makes one: the build's channels (<c>-c</c>, else the
/// configured ones) after any the builder adds (its output folder), Krait's solver with the platform's virtual
/// packages, and one transaction into the package cache; nothing is registered in <c>environments.txt</c>.
/// </summary>
internal sealed class CliBuildEnvironments(IReadOnlyList<string> channelNames, CondaConfig config, KraitLocations locations, bool quiet) : IBuildEnvironments
{
    public IReadOnlyList<InstalledRecord> Create(string prefix, IReadOnlyList<string> specs, string platform, string purpose, IReadOnlyList<string> extraChannels)
    {
        var names = extraChannels.Concat(channelNames).ToList();
        var channels = ChannelSelection.Resolve(names, overrideChannels: channelNames.Count > 0, config, locations.Paths);
        var parsed = specs.Select(s => MatchSpec.Parse(s, locations.Paths)).ToList();
        using var remote = Remote.RemoteAccess.Create(config, locations, offline: false, useIndexCache: false);
        using var source = new ChannelPackageSource(channels, platform, remote.Repodata, remote.NameIndexCache);
        if (UnavailableSpecs.Of(parsed, source) is { Count: > 0 } missing)
        {
            throw new BuildException($"the {purpose} environment needs {string.Join(", ", missing)}, which no channel has for {platform} (channels: {string.Join(", ", channels.Select(c => c.ToString()))})");
        }

        var result = CondaSolver.Solve(new SolveRequest(parsed, VirtualPackageDetector.Detect(platform), ChannelPriorities.Parse(config.ChannelPriority)), source);
        if (!result.IsSatisfiable)
        {
            throw new BuildException($"the {purpose} environment cannot be solved:\n{result.Explanation}");
        }

        var context = new ChangeContext(Prefix.At(prefix), DryRun: false, Json: false, Yes: true, Quiet: true, platform, locations, config, CompilePyc: true) { Remote = remote, Channels = channels };
        var outcome = context.Installer.Create(result.Records, context.Options(parsed, [], null, CancellationToken.None));
        if (!quiet)
        {
            foreach (var warning in outcome.Warnings)
            {
                Console.Error.WriteLine($"{purpose} environment: {warning}");
            }
        }

        return [.. result.Records.Select(r => new InstalledRecord(r, context.Cache.FindExtracted(r)))];
    }
}
