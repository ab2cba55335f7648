using System.CommandLine;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary><c>krait env list [--json]</c>: the environments conda and Krait know of, the active one marked.</summary>
public static class EnvCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print conda's {\"envs\": [...]}" };
        var list = new Command("list", "List the environments.") { json };
        list.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => List(asJson));
        });
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "path of the environment (default: the active one)" };
        var fromHistory = new Option<bool>("--from-history") { Description = "only the specs that were asked for, not every package" };
        var noBuilds = new Option<bool>("--no-builds") { Description = "name=version without the build string, for other platforms" };
        var export = new Command("export", "Write the environment as an environment.yml.") { name, prefix, fromHistory, noBuilds };
        export.SetAction(parse => CommandRunner.Run(json: false, () => EnvExport.Run(parse.GetValue(name), parse.GetValue(prefix), parse.GetValue(fromHistory), parse.GetValue(noBuilds))));
        return new Command("env", "Work with environments.") { list, export, CreateFromFile(), RemoveCommand.CreateEnvRemove() };
    }

    /// <summary>
    /// <c>krait env create -f environment.yml [-n NAME | -p PREFIX] [-c CHANNEL]... [--dry-run] [--json] [-y]</c>: the
    /// conda packages, then the file's <c>pip:</c> section with the environment's pip.
    /// </summary>
    private static Command CreateFromFile()
    {
        var file = new Option<string>("--file", "-f") { Description = "the environment.yml", Required = true };
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment (default: the file's name)" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "full path of the environment" };
        var channels = new Option<string[]>("--channel", "-c") { Description = "more channels, before the file's", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string?>("--platform", "--subdir") { Description = "the platform to solve for" };
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "only show what would be installed" };
        var json = new Option<bool>("--json") { Description = "print conda's JSON plan" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var create = new Command("create", "Create an environment from an environment.yml.") { file, name, prefix, channels, platform, dryRun, json, yes };
        create.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var path = parse.GetValue(file)!;
                var environment = Installing.EnvironmentFileInput.Read(path);

                var givenName = parse.GetValue(name);
                var givenPrefix = parse.GetValue(prefix);
                if (givenName is null && givenPrefix is null && environment.Name is null && environment.Prefix is null)
                {
                    throw new KraitException("ArgumentError", $"{path} has no name: give --name NAME or --prefix PATH");
                }

                if (environment.Dependencies.Count == 0)
                {
                    throw new KraitException("ArgumentError", $"{path} lists no dependencies");
                }

                var allChannels = (parse.GetValue(channels) ?? []).Concat(environment.Channels.Where(c => c != "nodefaults")).ToArray();
                return CreateCommand.Run(new CreateCommand.CreateOptions(
                    [.. environment.Dependencies],
                    // conda's order: -n or -p if given, else the file's name, else its prefix (krait env export writes both).
                    givenPrefix is null ? givenName ?? environment.Name : null,
                    givenPrefix ?? (givenName is null && environment.Name is null ? environment.Prefix : null),
                    allChannels,
                    OverrideChannels: allChannels.Length > 0,
                    parse.GetValue(platform),
                    Priority: null,
                    parse.GetValue(dryRun),
                    asJson,
                    parse.GetValue(yes),
                    File: null)
                {
                    Pip = environment.PipRequirements.Count > 0 ? new Installing.PipRequest(environment.PipRequirements, path) : null,
                });
            });
        });
        return create;
    }

    private static int List(bool json)
    {
        var locations = KraitLocations.Resolve(CondaConfig.Load());
        var home = KraitLocations.Home;
        var environments = EnvironmentRegistry.Find(locations.RootPrefix, locations.EnvsDirs, home);
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("envs");
                environments.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return 0;
        }

        var active = Environment.GetEnvironmentVariable("CONDA_PREFIX");
        var names = environments.Select(e => e == locations.RootPrefix ? "base"
            : locations.EnvsDirs.Any(d => string.Equals(Path.GetDirectoryName(e), Path.TrimEndingDirectorySeparator(d), StringComparison.Ordinal)) ? Path.GetFileName(e) : string.Empty).ToList();
        var width = Math.Max(20, names.Max(n => (int?)n.Length) ?? 0);
        Console.WriteLine("# conda environments:");
        Console.WriteLine("#");
        for (var i = 0; i < environments.Count; i++)
        {
            var marker = string.Equals(environments[i], active, StringComparison.Ordinal) ? "*" : " ";
            Console.WriteLine($"{names[i].PadRight(width)}  {marker}  {environments[i]}");
        }

        return 0;
    }
}
