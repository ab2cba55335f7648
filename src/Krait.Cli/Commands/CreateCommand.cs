using System.CommandLine;
using System.Diagnostics;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Conda.Environments;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Configuration.VirtualPackages;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

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
        var lockfile = new Option<string?>("--lockfile") { Description = "install exactly the packages a conda-lock.yml or pixi.lock locks for this platform, without solving" };
        var lockEnvironment = new Option<string>("--lock-environment") { Description = "the lockfile's environment (pixi.lock has several)", DefaultValueFactory = _ => "default" };
        var clone = new Option<string?>("--clone") { Description = "make a copy of this environment (a name or a path): exactly its packages, from the package cache" };
        var shared = new ChangeOptions();
        var dependencies = new DependencyOptions();
        var command = new Command("create", "Create an environment from package specs.") { specs, file, lockfile, lockEnvironment, clone };
        shared.AddTo(command);
        dependencies.AddTo(command);
        command.SetAction(parse =>
        {
            return CommandRunner.Run(parse.GetValue(shared.Json), () =>
            {
                var values = shared.Read(parse);
                return Run(new CreateOptions(
                    parse.GetValue(specs)!,
                    values.Name,
                    values.Prefix,
                    values.Channels,
                    values.OverrideChannels,
                    values.Platform,
                    values.Priority,
                    values.DryRun,
                    values.Json,
                    values.Yes,
                    parse.GetValue(file),
                    values.Quiet,
                    values.NoPyc,
                    values.Offline,
                    values.UseIndexCache,
                    values.Clobber,
                    values.NoScripts,
                    parse.GetValue(lockfile),
                    parse.GetValue(lockEnvironment)!,
                    parse.GetValue(clone),
                    values.Copy,
                    dependencies.Read(parse)));
            });
        });
        return command;
    }

    internal sealed record CreateOptions(
        string[] Specs, string? Name, string? Prefix, string[] Channels, bool OverrideChannels, string? Platform, string? Priority, bool DryRun, bool Json, bool Yes, string? File, bool Quiet = false, bool NoPyc = false, bool Offline = false, bool UseIndexCache = false, bool Clobber = false, bool NoScripts = false, string? Lockfile = null, string LockEnvironment = "default", string? CloneFrom = null, bool Copy = false, DependencyChoice Dependencies = DependencyChoice.All, PipRequest? Pip = null);

    internal static int Run(CreateOptions options)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = ResolvePrefix(options, locations);
        if (!options.DryRun && Directory.Exists(prefix.Path))
        {
            ChangeRunner.RepairIfInterrupted(prefix);
            if (!EnvironmentCreator.IsEmpty(prefix.Path))
            {
                throw new KraitException("CondaValueError", $"{prefix} already exists and is not empty", $"remove it first (krait remove -p {prefix} --all), or choose another name");
            }
        }

        var subdir = options.Platform is null ? MachinePlatform.Current : Platform.Validate(options.Platform);
        var specTexts = options.Specs.ToList();
        if (options.Lockfile is not null)
        {
            return CreateLocked(options, prefix, config, locations, subdir);
        }

        if (options.CloneFrom is not null)
        {
            return CreateClone(options, prefix, config, locations, subdir);
        }

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

                return CreateExplicit(options, prefix, config, locations, text, subdir);
            }

            specTexts.AddRange(SpecFile.Parse(text));
        }

        if (specTexts.Count == 0)
        {
            // conda makes an empty environment (conda-meta and its history) when no package is asked for.
            return CreateExactly(options, prefix, config, locations, subdir, []);
        }

        var specs = specTexts.Select(s => MatchSpec.Parse(s, locations.Paths)).ToList();
        var channels = ChannelSelection.Resolve(options.Channels, options.OverrideChannels, config, locations.Paths);
        var priority = ChannelPriorities.Parse(options.Priority ?? config.ChannelPriority);

        var clock = Stopwatch.StartNew();
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        using var source = new ChannelPackageSource(channels, subdir, remote.Repodata, remote.NameIndexCache);
        if (UnavailableSpecs.Of(specs, source) is { Count: > 0 } missing)
        {
            Warnings.Write(source.Warnings); // the records skipped on the way may be why a package is missing
            throw PackagesNotFound.Error(missing, channels, subdir, source.Names());
        }

        var pins = PinnedSpecs.Read(null, config.PinnedPackages);
        PinnedConflict.ThrowIfAny(PinConflicts.Of(specs, pins, source));
        var result = CondaSolver.Solve(
            new SolveRequest(config.AddPipAsPythonDependency ? PipDependency.Requested(specs, source) : specs, VirtualPackageDetector.Detect(subdir), priority)
            {
                AddPipAsPythonDependency = config.AddPipAsPythonDependency,
                Pins = pins,
            },
            source);
        Warnings.Write([.. source.Warnings, .. result.Warnings]);
        if (!result.IsSatisfiable)
        {
            throw new KraitException("UnsatisfiableError", result.Explanation!, "relax a version, or search the channels with krait search");
        }

        var asked = specs.Where(spec => spec.IsNameExact).Select(spec => spec.Name.ToString()).ToHashSet(StringComparer.Ordinal);
        var records = DependencyOptions.Apply(options.Dependencies, result.Records, [], asked, options.Quiet || options.Json);
        options.Pip?.Check(records);
        if (!options.DryRun)
        {
            var context = Context(options, prefix, subdir, locations, config) with { Remote = remote, Channels = channels };
            if (!options.Json && !options.Quiet)
            {
                PlanOutput.WriteTable(records, prefix.Path, clock.Elapsed, dryRun: false);
                ScriptNotice.Write(records, [], context);
            }

            ChangeRunner.Confirm(context);
            ChangeRunner.Create(records, context, specs);
            options.Pip?.Install(prefix, records, subdir, options.Json);
        }

        if (options.Json)
        {
            PlanOutput.WriteJson(records, prefix.Path, options.DryRun);
        }
        else if (options.DryRun && !options.Quiet)
        {
            PlanOutput.WriteTable(records, prefix.Path, clock.Elapsed, dryRun: true);
            ScriptNotice.Write(records, [], Context(options, prefix, subdir, locations, config));
            options.Pip?.WritePlan(Console.Out);
        }
        else if (!options.Quiet)
        {
            Console.WriteLine($"Created {prefix}");
        }

        return 0;
    }

    /// <summary>Creates an environment from the exact packages of an @EXPLICIT file, without solving (like conda).</summary>
    private static int CreateExplicit(CreateOptions options, Prefix prefix, CondaConfig config, KraitLocations locations, string text, string subdir)
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

        return CreateExactly(options, prefix, config, locations, subdir, records);
    }

    /// <summary>
    /// Creates an environment from the exact conda packages a lockfile locks for this platform, without solving, each
    /// archive verified against the lockfile's checksum. PyPI packages are named and left to pip; packages pixi builds
    /// from source are refused.
    /// </summary>
    private static int CreateLocked(CreateOptions options, Prefix prefix, CondaConfig config, KraitLocations locations, string subdir)
    {
        var locked = LockfileInput.Read(options.Lockfile!, options.LockEnvironment, subdir, options.Json || options.Quiet, options.Specs.Length > 0 || options.File is not null);
        return CreateExactly(options, prefix, config, locations, subdir, locked.Records);
    }

    /// <summary>
    /// Creates a copy of another environment, as <c>conda create --clone</c>: exactly its packages (from the package
    /// cache, or their channels), linked anew so that every file that holds the prefix holds the new one.
    /// </summary>
    private static int CreateClone(CreateOptions options, Prefix prefix, CondaConfig config, KraitLocations locations, string subdir)
    {
        if (options.Specs.Length > 0 || options.File is not null)
        {
            throw new KraitException("ArgumentError", "--clone copies an environment exactly: give no specs and no --file with it");
        }

        var from = options.CloneFrom!;
        var source = from.AsSpan().IndexOfAny("/\\") >= 0 ? Prefix.At(from) : EnvironmentLocator.Resolve(from, null, locations);
        if (!source.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{source} is not an environment, so there is nothing to clone");
        }

        if (source.Equals(prefix))
        {
            throw new KraitException("CondaValueError", $"cannot clone {source} into itself");
        }

        ChangeRunner.RepairIfInterrupted(source);
        var records = PrefixData.Read(source);
        if (records.FirstOrDefault(r => r.Url is null) is { } unknown)
        {
            throw new KraitException("CondaValueError", $"{unknown} in {source} has no url in conda-meta, so it cannot be fetched again for the clone", "install it from a channel in the source environment first");
        }

        return CreateExactly(options, prefix, config, locations, subdir, records);
    }

    /// <summary>Creates an environment holding exactly <paramref name="records"/> (none: an empty environment), without solving.</summary>
    internal static int CreateExactly(CreateOptions options, Prefix prefix, CondaConfig config, KraitLocations locations, string subdir, IReadOnlyList<PackageRecord> records)
    {
        if (options.DryRun)
        {
            if (options.Json)
            {
                PlanOutput.WriteJson(records, prefix.Path, dryRun: true);
            }
            else if (!options.Quiet)
            {
                PlanOutput.WriteTable(records, prefix.Path, TimeSpan.Zero, dryRun: true);
            }

            return 0;
        }

        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        ChangeRunner.Create(records, Context(options, prefix, subdir, locations, config) with { Remote = remote }, []);
        if (options.Json)
        {
            PlanOutput.WriteJson(records, prefix.Path, dryRun: false);
        }
        else if (!options.Quiet)
        {
            Console.WriteLine($"Created {prefix}");
        }

        return 0;
    }

    private static ChangeContext Context(CreateOptions options, Prefix prefix, string subdir, KraitLocations locations, CondaConfig config) =>
        new(prefix, options.DryRun, options.Json, options.Yes, options.Quiet || options.Json, subdir, locations, config, CompilePyc: !options.NoPyc, Clobber: options.Clobber, NoScripts: options.NoScripts) { AlwaysCopy = options.Copy };

    private static Prefix ResolvePrefix(CreateOptions options, KraitLocations locations)
    {
        if (options.Name is not null && options.Prefix is not null)
        {
            throw new KraitException("ArgumentError", "give either --name or --prefix, not both");
        }

        if (options.Prefix is not null)
        {
            return Prefix.At(options.Prefix);
        }

        if (options.Name is null)
        {
            throw new KraitException("ArgumentError", "which environment? give --name NAME or --prefix PATH");
        }

        if (options.Name.Length == 0 || options.Name.AsSpan().IndexOfAny("/\\: #") >= 0)
        {
            throw new KraitException("ArgumentError", $"invalid environment name '{options.Name}': no slashes, colons, spaces or '#'");
        }

        return Prefix.At(Path.Combine(locations.EnvsDirs[0], options.Name));
    }
}
