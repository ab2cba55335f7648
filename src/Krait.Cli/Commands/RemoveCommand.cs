using System.CommandLine;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Install.Transactions;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait remove SPEC... [--force] | --all</c>: removes the matching packages and, like conda, every installed
/// package that needs one of them (unless <c>--force</c>); <c>--all</c> removes the whole environment.
/// </summary>
public static class RemoveCommand
{
    public static Command Create()
    {
        var specs = new Argument<string[]>("specs") { Description = "packages to remove (names or specs)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "remove every package and the environment itself" };
        var force = new Option<bool>("--force") { Description = "remove only the named packages, even if others need them" };
        var shared = new ChangeOptions();
        var command = new Command("remove", "Remove packages from an environment.") { specs, all, force };
        command.Aliases.Add("uninstall");
        shared.AddTo(command, solving: false);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(shared.Json);
            return CommandRunner.Run(json, () => Run(parse.GetValue(specs)!, parse.GetValue(all), parse.GetValue(force), shared.Read(parse)));
        });
        return command;
    }

    /// <summary><c>krait env remove (-n NAME | -p PREFIX)</c>: the whole environment, as <c>krait remove --all</c>.</summary>
    public static Command CreateEnvRemove()
    {
        var shared = new ChangeOptions();
        var command = new Command("remove", "Remove an environment.");
        shared.AddTo(command, solving: false);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(shared.Json);
            return CommandRunner.Run(json, () =>
            {
                var options = shared.Read(parse);
                if (options.Name is null && options.Prefix is null)
                {
                    throw new KraitException("ArgumentError", "which environment? give --name NAME or --prefix PATH");
                }

                return Run([], all: true, force: false, options);
            });
        });
        return command;
    }

    internal static int Run(string[] specTexts, bool all, bool force, ChangeOptions.Values options)
    {
        if (all == (specTexts.Length > 0))
        {
            throw new KraitException("ArgumentError", all ? "--all removes everything: give no specs with it" : "nothing to remove: give package names, or --all");
        }

        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = EnvironmentLocator.Resolve(options.Name, options.Prefix, locations);
        if (!prefix.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not an environment");
        }

        if (all && prefix.Equals(Prefix.At(locations.RootPrefix)))
        {
            throw new KraitException("CondaEnvironmentError", "cannot remove the root environment", "remove packages from it by name instead");
        }

        var specs = specTexts.Select(s => MatchSpec.Parse(s, locations.Paths)).ToList();
        var context = options.Context(prefix, MachinePlatform.Current, locations, config) with { Destructive = all };
        using (var prefixLock = ChangeRunner.LockUnlessDryRun(prefix, options.DryRun))
        {
            var installed = PrefixData.ReadInstalled(prefix);
            var names = all ? [.. installed.Select(i => i.Record.Name)] : Removal.Names(installed, specs, force);
            var plan = TransactionPlan.Removing(installed, names);
            var status = ChangeRunner.Apply(plan, context, prefixLock, [], specTexts);
            if (!all || options.DryRun || status != 0)
            {
                return status;
            }
        }

        // Every package is gone, its pre-unlink scripts run: what remains is the folder itself.
        Directory.Delete(prefix.Path, recursive: true);
        if (!options.Json && !options.Quiet)
        {
            Console.WriteLine($"Removed {prefix}");
        }

        return 0;
    }
}
