using System.CommandLine;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait rename (-n OLD | -p PATH) NEW [--force] [--dry-run] [-y]</c>: as <c>conda rename</c>, a clone at the new
/// place (every file holding the prefix relinked for it) and then the old environment removed; the root environment
/// and the active one are refused. NEW is a name (under the first envs dir) or a path.
/// </summary>
public static class RenameCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name", "-n") { Description = "the environment to rename" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "the path of the environment to rename" };
        var destination = new Argument<string>("destination") { Description = "the new name, or the new path" };
        var force = new Option<bool>("--force") { Description = "replace an existing environment at the destination" };
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "only say what would happen" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors" };
        var command = new Command("rename", "Rename an environment.") { name, prefix, destination, force, dryRun, yes, quiet };
        command.SetAction(parse => CommandRunner.Run(json: false, () => Run(
            parse.GetValue(name), parse.GetValue(prefix), parse.GetValue(destination)!, parse.GetValue(force), parse.GetValue(dryRun), parse.GetValue(yes), parse.GetValue(quiet))));
        return command;
    }

    private static int Run(string? name, string? prefixPath, string destination, bool force, bool dryRun, bool yes, bool quiet)
    {
        if (name is null && prefixPath is null)
        {
            throw new KraitException("ArgumentError", "which environment? give --name NAME or --prefix PATH");
        }

        var locations = KraitLocations.Resolve(CondaConfig.Load());
        var source = EnvironmentLocator.Resolve(name, prefixPath, locations);
        if (!source.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{source} is not an environment");
        }

        if (source.Equals(Prefix.At(locations.RootPrefix)))
        {
            throw new KraitException("CondaEnvError", "the root environment cannot be renamed");
        }

        if (Environment.GetEnvironmentVariable("CONDA_PREFIX") is { Length: > 0 } active && source.Equals(Prefix.At(active)))
        {
            throw new KraitException("CondaEnvError", $"{source} is the active environment and cannot be renamed", "deactivate it first (krait deactivate)");
        }

        var target = destination.AsSpan().IndexOfAny("/\\") >= 0
            ? Prefix.At(destination)
            : destination.Length > 0 && destination.AsSpan().IndexOfAny(": #") < 0
                ? Prefix.At(Path.Combine(locations.EnvsDirs[0], destination))
                : throw new KraitException("ArgumentError", $"invalid environment name '{destination}': no slashes, colons, spaces or '#'");
        if (Directory.Exists(target.Path) && !EnvironmentCreator.IsEmpty(target.Path) && !force)
        {
            throw new KraitException("CondaEnvError", $"{target} already exists", "give --force to replace it, or choose another name");
        }

        if (dryRun)
        {
            Console.WriteLine($"Would rename {source} to {target}");
            return 0;
        }

        if (!yes)
        {
            Console.WriteLine($"Rename {source} to {target}.");
            Confirmation.Ask(destructive: false);
        }

        if (Directory.Exists(target.Path) && !EnvironmentCreator.IsEmpty(target.Path))
        {
            Remove(target);
        }

        var created = CreateCommand.Run(new CreateCommand.CreateOptions(
            [], Name: null, target.Path, [], OverrideChannels: false, Platform: null, Priority: null, DryRun: false, Json: false, Yes: true, File: null, Quiet: true, CloneFrom: source.Path));
        if (created != 0)
        {
            return created;
        }

        Remove(source);
        if (!quiet)
        {
            Console.WriteLine($"Renamed {source} to {target}");
        }

        return 0;
    }

    private static void Remove(Prefix prefix) =>
        RemoveCommand.Run([], all: true, force: false, new ChangeOptions.Values(
            Name: null, prefix.Path, [], OverrideChannels: false, Platform: null, Priority: null, DryRun: false, Json: false, Yes: true, Quiet: true, NoPyc: false, Clobber: false, Offline: true, UseIndexCache: false, NoScripts: false));
}
