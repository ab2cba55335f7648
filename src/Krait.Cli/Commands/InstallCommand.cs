using System.CommandLine;
using System.Diagnostics;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Conda.Platforms;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Configuration.VirtualPackages;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait install SPEC...</c> and <c>krait update [SPEC... | --all]</c> on an existing environment
/// (<c>-n/-p</c>, else the active one): solve with what is installed, show the changes, carry them out as one
/// crash-safe transaction.
/// </summary>
public static class InstallCommand
{
    public static Command Create(bool update)
    {
        var specs = new Argument<string[]>("specs") { Description = update ? "packages to update (by name or spec)" : "package specs, e.g. 'numpy>=1.26'", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "update every installed package" };
        var file = new Option<string?>("--file") { Description = "a file of specs, one per line" };
        var lockfile = new Option<string?>("--lockfile") { Description = "make the environment exactly what a conda-lock.yml or pixi.lock locks for this platform, without solving" };
        var lockEnvironment = new Option<string>("--lock-environment") { Description = "the lockfile's environment (pixi.lock has several)", DefaultValueFactory = _ => "default" };
        var dependencies = new DependencyOptions();
        var freezeInstalled = new Option<bool>("--freeze-installed", "--no-update-deps") { Description = "do not change installed packages: only what leaves them as they are" };
        var forceReinstall = new Option<bool>("--force-reinstall") { Description = "unlink and link the asked packages anew even where they are installed as they are" };
        var revision = new Option<int?>("--revision") { Description = "go back to revision N of the environment (krait list --revisions shows them)" };
        var shared = new ChangeOptions();
        var command = update
            ? new Command("update", "Update packages of an environment to their newest allowed versions.") { specs, all, file, freezeInstalled, forceReinstall }
            : new Command("install", "Install packages into an existing environment.") { specs, file, lockfile, lockEnvironment, revision, freezeInstalled, forceReinstall };
        shared.AddTo(command);
        dependencies.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(shared.Json);
            if (!update && parse.GetValue(revision) is { } number)
            {
                return CommandRunner.Run(json, () => InstallRevision(number, [.. parse.GetValue(specs)!], parse.GetValue(file) ?? parse.GetValue(lockfile), shared.Read(parse)));
            }

            if (!update && parse.GetValue(lockfile) is { } locked)
            {
                return CommandRunner.Run(json, () => InstallLocked(locked, parse.GetValue(lockEnvironment)!, [.. parse.GetValue(specs)!], parse.GetValue(file), shared.Read(parse)));
            }

            return CommandRunner.Run(json, () => Run(
                update ? (parse.GetValue(all) ? ChangeKind.UpdateAll : ChangeKind.Update) : ChangeKind.Install,
                [.. parse.GetValue(specs)!, .. SpecFile.Read(parse.GetValue(file))],
                shared.Read(parse),
                new SolveChoices(dependencies.Read(parse), parse.GetValue(freezeInstalled), parse.GetValue(forceReinstall))));
        });
        return command;
    }

    /// <summary>
    /// Makes an existing environment exactly what a lockfile locks for this platform (as conda-lock install does):
    /// packages not locked are removed, locked ones linked, without solving, each archive checked against its
    /// locked checksum; one transaction.
    /// </summary>
    private static int InstallLocked(string lockfile, string lockEnvironment, List<string> specTexts, string? file, ChangeOptions.Values options)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = EnvironmentLocator.Resolve(options.Name, options.Prefix, locations);
        if (!prefix.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not an environment", $"create it with krait create -p {prefix} --lockfile {lockfile}");
        }

        var subdir = options.Platform is null ? MachinePlatform.Current : Platform.Validate(options.Platform);
        var locked = LockfileInput.Read(lockfile, lockEnvironment, subdir, options.Json || options.Quiet, specTexts.Count > 0 || file is not null);
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        var context = options.Context(prefix, subdir, locations, config, remote, []);
        using var prefixLock = ChangeRunner.LockUnlessDryRun(prefix, options.DryRun);
        var plan = Krait.Install.Transactions.TransactionPlan.Compute(PrefixData.ReadInstalled(prefix), locked.Records);
        return ChangeRunner.Apply(plan, context, prefixLock, [], []);
    }

    /// <summary>
    /// Makes the environment what it was at a revision of its history, as <c>conda install --revision N</c>: packages
    /// installed since are removed, those removed since come back (from the package cache, or the channels their
    /// history names), without solving; one transaction, itself a new revision.
    /// </summary>
    private static int InstallRevision(int number, List<string> specTexts, string? alsoFile, ChangeOptions.Values options)
    {
        if (specTexts.Count > 0 || alsoFile is not null)
        {
            throw new KraitException("ArgumentError", "--revision returns to an earlier state: give no specs, --file or --lockfile with it");
        }

        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = EnvironmentLocator.Resolve(options.Name, options.Prefix, locations);
        if (!prefix.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not an environment");
        }

        var revisions = HistoryRevisions.Read(prefix);
        if (number < 0 || number >= revisions.Count)
        {
            throw new KraitException("CondaValueError", $"{prefix} has no revision {number} (it has 0 to {revisions.Count - 1})", $"see them with krait list -p {prefix} --revisions");
        }

        var subdir = options.Platform is null ? MachinePlatform.Current : Platform.Validate(options.Platform);
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        using var prefixLock = ChangeRunner.LockUnlessDryRun(prefix, options.DryRun);
        var installed = PrefixData.ReadInstalled(prefix);
        var target = RevisionRecords.Of(HistoryRevisions.StateAt(revisions, number), installed, subdir, config, locations, remote);
        var context = options.Context(prefix, subdir, locations, config, remote, []);
        var plan = Krait.Install.Transactions.TransactionPlan.Compute(installed, target);
        return ChangeRunner.Apply(plan, context, prefixLock, [], []);
    }

    /// <summary>What an install may change: dependencies or not (<see cref="DependencyOptions"/>), installed packages or not, asked packages relinked or not.</summary>
    private sealed record SolveChoices(DependencyChoice Dependencies, bool FreezeInstalled, bool ForceReinstall);

    private static int Run(ChangeKind kind, List<string> specTexts, ChangeOptions.Values options, SolveChoices choices)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var prefix = EnvironmentLocator.Resolve(options.Name, options.Prefix, locations);
        if (!prefix.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not an environment", "create it first with krait create");
        }

        if (kind == ChangeKind.UpdateAll && specTexts.Count > 0)
        {
            throw new KraitException("ArgumentError", "--all updates every package: give no specs with it");
        }

        if (kind != ChangeKind.UpdateAll && specTexts.Count == 0)
        {
            throw new KraitException("ArgumentError", kind == ChangeKind.Update ? "nothing to update: give package names, or --all" : "nothing to install: give package specs or --file FILE");
        }

        var specs = specTexts.Select(s => MatchSpec.Parse(s, locations.Paths)).ToList();
        var subdir = options.Platform is null ? MachinePlatform.Current : Platform.Validate(options.Platform);
        var channels = ChannelSelection.Resolve(options.Channels, options.OverrideChannels, config, locations.Paths);
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, options.UseIndexCache);
        var context = options.Context(prefix, subdir, locations, config, remote, channels);
        using var prefixLock = ChangeRunner.LockUnlessDryRun(prefix, options.DryRun);
        var installed = PrefixData.ReadInstalled(prefix);
        if (kind == ChangeKind.Update)
        {
            foreach (var spec in specs.Where(s => s.IsNameExact && !installed.Any(i => i.Record.Name == s.Name.ToString())))
            {
                throw new KraitException("PackageNotInstalledError", $"{spec.Name} is not installed in {prefix}", $"install it with krait install -p {prefix} {spec}");
            }
        }

        var clock = Stopwatch.StartNew();
        using var source = new ChannelPackageSource(channels, subdir, remote.Repodata, remote.NameIndexCache);
        var withInstalled = new InstalledPackageSource(source, [.. installed.Select(i => i.Record)], channels.Count);
        if (UnavailableSpecs.Of(specs, withInstalled) is { Count: > 0 } missing)
        {
            Warnings.Write(source.Warnings); // the records skipped on the way may be why a package is missing
            throw PackagesNotFound.Error(missing, channels, subdir, source.Names());
        }

        var pins = PinnedSpecs.Read(prefix, config.PinnedPackages);
        PinnedConflict.ThrowIfAny(PinConflicts.Of(specs, pins, withInstalled));

        var result = EnvironmentSolver.Solve(
            kind, specs, installed, HistoryReader.RequestedSpecs(prefix), source, channels.Count,
            new SolveRequest([], VirtualPackageDetector.Detect(subdir), options.ChannelPriority(config)) { AddPipAsPythonDependency = config.AddPipAsPythonDependency, Pins = pins },
            choices.FreezeInstalled);
        Warnings.Write([.. source.Warnings, .. result.Warnings]);
        if (!result.IsSatisfiable)
        {
            throw new KraitException("UnsatisfiableError", result.Explanation!, "relax a version, or search the channels with krait search");
        }

        if (!options.Json && !options.Quiet)
        {
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Solved in {clock.Elapsed.TotalMilliseconds:F0} ms."));
        }

        var asked = specs.Where(s => s.IsNameExact).Select(s => s.Name.ToString()).ToHashSet(StringComparer.Ordinal);
        var wanted = DependencyOptions.Apply(choices.Dependencies, result.Records, [.. installed.Select(i => i.Record)], asked, options.Quiet || options.Json);
        var plan = Krait.Install.Transactions.TransactionPlan.Compute(installed, wanted, choices.ForceReinstall ? asked : null);
        return ChangeRunner.Apply(plan, context, prefixLock, specs, []);
    }
}
