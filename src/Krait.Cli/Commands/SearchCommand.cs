using System.CommandLine;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Repodata.Query;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait search [-c CHANNEL]... [--override-channels] [--platform SUBDIR] [--json] [--info] SPEC</c>:
/// conda's search — the records of the platform and noarch that match the spec; when an exact name matches
/// nothing, conda's fallback search for <c>*name*</c>.
/// </summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "a package spec, e.g. numpy, 'numpy>=1.20', 'conda-forge::numpy=1.26=*py312*'", DefaultValueFactory = _ => "*" };
        var channels = new Option<string[]>("--channel", "-c") { Description = "a channel to search (path, file:// URL or name); repeatable", AllowMultipleArgumentsPerToken = false };
        var overrideChannels = new Option<bool>("--override-channels") { Description = "search only the -c channels, not those of .condarc" };
        var platform = new Option<string?>("--platform", "--subdir") { Description = "the platform to search (default: this machine's), e.g. linux-64, osx-arm64" };
        var json = new Option<bool>("--json") { Description = "print conda's JSON: {name: [record, …]}" };
        var info = new Option<bool>("--info", "-i") { Description = "print every field of each record" };
        var skipFlexible = new Option<bool>("--skip-flexible-search") { Description = "do not retry a name that matches nothing as *name*" };

        var command = new Command("search", "Search channels for packages that match a spec.")
        {
            spec, channels, overrideChannels, platform, json, info, skipFlexible,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(
                parse.GetValue(spec)!,
                parse.GetValue(channels) ?? [],
                parse.GetValue(overrideChannels),
                parse.GetValue(platform),
                asJson,
                parse.GetValue(info),
                parse.GetValue(skipFlexible)));
        });
        return command;
    }

    private static int Run(string specText, string[] channelArguments, bool overrideChannels, string? platform, bool json, bool info, bool skipFlexible)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var spec = MatchSpec.Parse(specText, locations.Paths);
        var subdir = platform is null ? MachinePlatform.Current : Platform.Validate(platform);
        var channels = spec.ExactChannel is { } specChannel
            ? [Channel.Parse(specChannel, config.ChannelAlias, config.CustomChannels, locations.Paths)]
            : ChannelSelection.Resolve(channelArguments, overrideChannels, config, locations.Paths);

        using var remote = Remote.RemoteAccess.Create(config, locations, offline: false, useIndexCache: false);
        var warnings = new List<string>();
        var matches = PackageQuery.Search(spec, channels, subdir, remote.Repodata, warnings);
        if (matches.Count == 0 && !skipFlexible && spec.IsNameExact)
        {
            var flexible = spec.WithName($"*{spec.Name.ExactValue}*");
            if (!json)
            {
                Console.WriteLine($"No match found for: {spec}. Search: {flexible}");
            }

            matches = PackageQuery.Search(flexible, channels, subdir, remote.Repodata, warnings);
        }

        Warnings.Write(warnings);

        if (matches.Count == 0)
        {
            throw PackagesNotFound.Error([spec], channels, spec.Subdir ?? subdir, knownNames: null);
        }

        if (json)
        {
            SearchOutput.WriteJson(matches);
        }
        else if (info)
        {
            SearchOutput.WriteDetails(matches);
        }
        else
        {
            SearchOutput.WriteTable(matches);
        }

        return 0;
    }
}
