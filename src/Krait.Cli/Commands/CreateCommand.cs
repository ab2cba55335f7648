using System.CommandLine;
using System.Diagnostics;
using Krait.Cli.Installing;
using Krait.Conda;
using Krait.Install;
using Krait.Packages;
using Krait.Repodata;
using Krait.Solve;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait create (-n NAME | -p PREFIX) [-c CHANNEL]... [--override-channels] [--platform SUBDIR]
/// [--channel-priority strict|flexible|disabled] [--dry-run] [--json] [-y] SPEC...</c>: solves the environment and
/// prints the plan; without <c>--dry-run</c> creates the environment, all or nothing (packages from local channels).
/// </summary>
public static class CreateCommand
{
    public static Command Create()
    {
        var specs = new Argument<string[]>("specs") { Description = "package specs, e.g. python=3.12 'numpy>=1.26'", Arity = ArgumentArity.ZeroOrMore };
        var file = new Option<string?>("--file") { Description = "an @EXPLICIT file (as krait list --explicit writes) or a file of specs, one per line" };
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment (under the first envs dir)" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "full path of the environment" };
        var channels = new Option<string[]>("--channel", "-c") { Description = "a channel (path, file:// URL or name); repeatable, highest priority first", AllowMultipleArgumentsPerToken = false };
        var overrideChannels = new Option<bool>("--override-channels") { Description = "use only the -c channels, not those of .condarc" };
        var platform = new Option<string?>("--platform", "--subdir") { Description = "the platform to solve for (default: this machine's)" };
        var priority = new Option<string?>("--channel-priority") { Description = "strict (default), flexible or disabled" };
        priority.AcceptOnlyFromAmong("strict", "flexible", "disabled");
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "only show what would be installed" };
        var json = new Option<bool>("--json") { Description = "print conda's JSON plan" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors (no progress bars)" };
        var noPyc = new Option<bool>("--no-pyc") { Description = "do not byte-compile the .py files of noarch: python packages" };
        var offline = new Option<bool>("--offline") { Description = "use no network: only cached repodata and packages" };
        var useIndexCache = new Option<bool>("--use-index-cache", "-C") { Description = "use cached repodata without asking the server" };

        var command = new Command("create", "Create an environment from package specs.")
        {
            specs, name, prefix, channels, overrideChannels, platform, priority, dryRun, json, yes, file, quiet, noPyc, offline, useIndexCache,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(new CreateOptions(
                parse.GetValue(specs)!,
                parse.GetValue(name),
                parse.GetValue(prefix),
                parse.GetValue(channels) ?? [],
                parse.GetValue(overrideChannels),
                parse.GetValue(platform),
                parse.GetValue(priority),
                parse.GetValue(dryRun),
                asJson,
                parse.GetValue(yes),
                parse.GetValue(file),
                parse.GetValue(quiet),
                parse.GetValue(noPyc),
                parse.GetValue(offline),
                parse.GetValue(useIndexCache))));
        });
        return command;
    }

    internal sealed record CreateOptions(
        string[] Specs, string? Name, string? Prefix, string[] Channels, bool OverrideChannels, string? Platform, string? Priority, bool DryRun, bool Json, bool Yes, string? File, bool Quiet = false, bool NoPyc = false, bool Offline = false, bool UseIndexCache = false);

    internal static int Run(CreateOptions options)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = ResolvePrefix(options, locations);
        if (!options.DryRun && Directory.Exists(prefix))
        {
            ChangeRunner.RepairIfInterrupted(prefix);
            if (!EnvironmentCreator.IsEmpty(prefix))
            {
                throw new KraitException("CondaValueError", $"{prefix} already exists and is not empty", $"remove it first (krait remove -p {prefix} --all), or choose another name");
            }
        }

        var subdir = options.Platform is null ? Platform.Current : Platform.Validate(options.Platform);
        var specTexts = options.Specs.ToList();
        if (options.File is not null)
        {
            if (!System.IO.File.Exists(options.File))
            {
                throw new KraitException("CondaFileIOError", $"{options.File} does not exist");
            }

            var text = System.IO.File.ReadAllText(options.File);
            if (text.Split('\n').Any(l => l.Trim() == "@EXPLICIT"))
            {
                if (specTexts.Count > 0)
                {
                    throw new KraitException("ArgumentError", "an @EXPLICIT file lists the exact packages; give no specs with it");
                }

                return CreateExplicit(options, prefix, locations, text, subdir);
            }

            specTexts.AddRange(SpecFile.Parse(text));
        }

        if (specTexts.Count == 0)
        {
            throw new KraitException("ArgumentError", "nothing to install: give package specs or --file FILE");
        }

        var specs = specTexts.Select(MatchSpec.Parse).ToList();
        var channels = ChannelSelection.Resolve(options.Channels, options.OverrideChannels, config);
        var priority = ChannelPriorities.Parse(options.Priority ?? config.ChannelPriority);

        var clock = Stopwatch.StartNew();
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        using var source = new ChannelPackageSource(channels, subdir, remote.Repodata);
        var result = CondaSolver.Solve(
            new SolveRequest(specs, VirtualPackageDetector.Detect(subdir), priority),
            source);
        if (!result.IsSatisfiable)
        {
            throw new KraitException("UnsatisfiableError", result.Explanation!, "relax a version, or search the channels with krait search");
        }

        if (!options.DryRun)
        {
            if (!options.Json && !options.Quiet)
            {
                PlanOutput.WriteTable(result.Records, prefix, clock.Elapsed, dryRun: false);
            }

            var context = Context(options, prefix, subdir, locations, config) with { Remote = remote, Channels = channels };
            ChangeRunner.Confirm(context);
            ChangeRunner.Create(result.Records, context, specs);
        }

        if (options.Json)
        {
            PlanOutput.WriteJson(result.Records, prefix, options.DryRun);
        }
        else if (options.DryRun)
        {
            PlanOutput.WriteTable(result.Records, prefix, clock.Elapsed, dryRun: true);
        }
        else if (!options.Quiet)
        {
            Console.WriteLine($"Created {prefix}");
        }

        return 0;
    }

    /// <summary>Creates an environment from the exact packages of an @EXPLICIT file, without solving (like conda).</summary>
    private static int CreateExplicit(CreateOptions options, string prefix, KraitLocations locations, string text, string subdir)
    {
        IReadOnlyList<PackageRecord> records;
        try
        {
            records = [.. ExplicitEnvironment.Parse(text, options.File!).Select(p => p.ToRecord())];
        }
        catch (FormatException e)
        {
            throw new KraitException("CondaValueError", e.Message);
        }

        if (options.DryRun)
        {
            if (options.Json)
            {
                PlanOutput.WriteJson(records, prefix, dryRun: true);
            }
            else
            {
                PlanOutput.WriteTable(records, prefix, TimeSpan.Zero, dryRun: true);
            }

            return 0;
        }

        var config = CondaConfig.Load();
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        ChangeRunner.Create(records, Context(options, prefix, subdir, locations, config) with { Remote = remote }, []);
        if (options.Json)
        {
            PlanOutput.WriteJson(records, prefix, dryRun: false);
        }
        else
        {
            Console.WriteLine($"Created {prefix}");
        }

        return 0;
    }

    private static ChangeContext Context(CreateOptions options, string prefix, string subdir, KraitLocations locations, CondaConfig config) =>
        new(prefix, options.DryRun, options.Json, options.Yes, options.Quiet || options.Json, subdir, locations, config, CompilePyc: !options.NoPyc);

    private static string ResolvePrefix(CreateOptions options, KraitLocations locations)
    {
        if (options.Name is not null && options.Prefix is not null)
        {
            throw new KraitException("ArgumentError", "give either --name or --prefix, not both");
        }

        if (options.Prefix is not null)
        {
            return Path.GetFullPath(options.Prefix);
        }

        if (options.Name is null)
        {
            throw new KraitException("ArgumentError", "which environment? give --name NAME or --prefix PATH");
        }

        if (options.Name.Length == 0 || options.Name.AsSpan().IndexOfAny("/\\: #") >= 0)
        {
            throw new KraitException("ArgumentError", $"invalid environment name '{options.Name}': no slashes, colons, spaces or '#'");
        }

        return Path.Combine(locations.EnvsDirs[0], options.Name);
    }
}
