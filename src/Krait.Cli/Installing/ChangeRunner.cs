using Krait.Cli.Commands;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Install.Transactions;
using Krait.Packages;

namespace Krait.Cli.Installing;

/// <summary>What every command that changes an environment shares: its flags and where things go.</summary>
internal sealed record ChangeContext(
    Prefix Prefix,
    bool DryRun,
    bool Json,
    bool Yes,
    bool Quiet,
    string Platform,
    KraitLocations Locations,
    CondaConfig Config,
    bool CompilePyc = true,
    bool Clobber = false,
    bool NoScripts = false)
{
    public static string CommandLine => "krait " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

    /// <summary>Copy files into the environment instead of hard-linking them (<c>--copy</c>).</summary>
    public bool AlwaysCopy { get; init; }

    /// <summary>The change removes a whole environment (<c>remove --all</c>, <c>env remove</c>): it needs a yes, never a default.</summary>
    public bool Destructive { get; init; }

    /// <summary>The network, for remote channels; null where the command has none (nothing remote to fetch).</summary>
    public Remote.RemoteAccess? Remote { get; init; }

    /// <summary>The channels of the command, whose tokens downloads need.</summary>
    public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>What happens to link scripts in this command, for the lines that name the packages carrying them.</summary>
    public string LinkScriptPolicyText => NoScripts ? "not run: --no-scripts" : SafetySettings.Describe(SafetySettings.LinkScripts(Config));

    /// <summary>Packages whose link scripts the plan already named (so the transaction names only the others).</summary>
    public HashSet<string> AnnouncedScripts { get; } = new(StringComparer.Ordinal);

    /// <summary>The package caches, made once: finding the writable folder writes a probe file.</summary>
    public PackageCache Cache => cache ??= new PackageCache(Locations.PkgsDirs);

    private PackageCache? cache;

    public PathConflict PathConflict => Clobber ? PathConflict.Clobber : (Config.Scalar("path_conflict") ?? "clobber") switch
    {
        "clobber" => PathConflict.Clobber,
        "warn" => PathConflict.Warn,
        "prevent" => PathConflict.Prevent,
        var other => throw new KraitException("ArgumentError", $"path_conflict '{other}' is not one of clobber, warn, prevent", "fix path_conflict in .condarc"),
    };

    public TransactionOptions Options(IReadOnlyList<MatchSpec> updateSpecs, IReadOnlyList<string> removeSpecs, IProgress<TransactionProgress>? progress, CancellationToken cancellation) => new()
    {
        Cancellation = cancellation,
        Prefix = Prefix,
        Cache = Cache,
        Command = CommandLine,
        UpdateSpecs = updateSpecs,
        RemoveSpecs = removeSpecs,
        Platform = Platform,
        RootPrefix = Locations.RootPrefix,
        PathConflict = PathConflict,
        CompilePyc = CompilePyc,
        AlwaysCopy = AlwaysCopy || Config.Flag("always_copy", defaultValue: false),
        Progress = progress,
        LinkScripts = NoScripts ? LinkScriptPolicy.Skip : SafetySettings.LinkScripts(Config),
        LinkScriptTimeout = SafetySettings.LinkScriptTimeout(Config),
        SafetyChecks = SafetySettings.SafetyChecks(Config),
        ExtraSafetyChecks = SafetySettings.ExtraSafetyChecks(Config),
        LinkScriptsFound = Quiet ? null : found =>
        {
            var fresh = found.Where(f => !AnnouncedScripts.Contains(f)).ToList();
            if (fresh.Count > 0)
            {
                Console.Error.WriteLine($"link scripts ({LinkScriptPolicyText}): {string.Join("; ", fresh)}");
            }
        },
    };

    /// <summary>The environment service, with the command's network (if it has one) to fetch what the cache lacks.</summary>
    public EnvironmentInstaller Installer => new(Remote is null ? null : new Remote.NetworkArchiveFetcher(Remote, Channels));
}

/// <summary>
/// Shows a plan, asks to proceed (on a terminal, without <c>-y</c>), carries it out with progress, and reports the
/// outcome: conda's JSON with <c>--json</c>; the clobber warnings and link-script messages otherwise.
/// </summary>
internal static class ChangeRunner
{
    public const string NothingToDo = "All requested packages already installed.";

    /// <summary>
    /// Runs <paramref name="plan"/> on the existing environment of <paramref name="context"/>, whose lock the caller
    /// holds (<paramref name="held"/>; none only for a dry run, which changes nothing).
    /// </summary>
    public static int Apply(TransactionPlan plan, ChangeContext context, PrefixLock? held, IReadOnlyList<MatchSpec> updateSpecs, IReadOnlyList<string> removeSpecs)
    {
        if (plan.IsEmpty)
        {
            if (context.Json)
            {
                JsonOutput.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("message", NothingToDo);
                    w.WriteBoolean("success", true);
                    w.WriteEndObject();
                });
            }
            else if (!context.Quiet)
            {
                Console.WriteLine(NothingToDo);
            }

            return 0;
        }

        if (!context.Json && !context.Quiet)
        {
            PlanOutput.WriteChanges(plan, context.Prefix.Path, context.DryRun);
            ScriptNotice.Write(plan.Link, plan.Unlink, context);
        }

        if (context.DryRun)
        {
            if (context.Json)
            {
                PlanOutput.WriteChangesJson(plan, context.Prefix.Path, dryRun: true);
            }

            return 0;
        }

        Confirm(context);
        using var interrupt = new Interruption();
        var result = ProgressDisplay.Run(context.Json || context.Quiet, progress => context.Installer.Apply(plan, held ?? throw new InvalidOperationException("a change needs the prefix's lock"), context.Options(updateSpecs, removeSpecs, progress, interrupt.Token)));
        Report(result, context);
        if (context.Json)
        {
            PlanOutput.WriteChangesJson(plan, context.Prefix.Path, dryRun: false);
        }

        return 0;
    }

    /// <summary>Creates a new environment from <paramref name="records"/>.</summary>
    public static void Create(IReadOnlyList<PackageRecord> records, ChangeContext context, IReadOnlyList<MatchSpec> requested)
    {
        using var interrupt = new Interruption();
        var result = ProgressDisplay.Run(context.Json || context.Quiet, progress => context.Installer.Create(records, context.Options(requested, [], progress, interrupt.Token)));
        Report(result, context);
        EnvironmentRegistry.Register(KraitLocations.Home, context.Prefix);
    }

    /// <summary>Asks to proceed (<see cref="Confirmation.Ask"/>) unless -y or --json said not to.</summary>
    public static void Confirm(ChangeContext context)
    {
        if (!context.Json && !context.Yes)
        {
            Confirmation.Ask(context.Destructive);
        }
    }

    private static void Report(TransactionResult result, ChangeContext context)
    {
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine(warning);
        }

        if (result.Messages is { } messages && !context.Json)
        {
            Console.WriteLine(messages);
        }
    }

    /// <summary>Takes the prefix's lock (repairing an interrupted transaction, which is said on stderr).</summary>
    public static PrefixLock Lock(Prefix prefix)
    {
        var prefixLock = prefix.Lock();
        if (prefixLock.Repaired is { } repaired)
        {
            Console.Error.WriteLine($"krait: {prefix}: {repaired}");
        }

        return prefixLock;
    }

    /// <summary>
    /// The prefix's lock for a change; none for a dry run, which changes nothing and so also works on an environment
    /// it cannot write (an interrupted transaction is then only mentioned: the next real change repairs it).
    /// </summary>
    public static PrefixLock? LockUnlessDryRun(Prefix prefix, bool dryRun)
    {
        if (!dryRun)
        {
            return Lock(prefix);
        }

        if (Directory.Exists(TransactionJournal.Folder(prefix.Path)))
        {
            Console.Error.WriteLine($"krait: {prefix} holds an interrupted transaction; the next change repairs it (this dry run reads the environment as it is)");
        }

        return null;
    }

    /// <summary>For commands that only read an environment: repair an interrupted transaction first, if there is one.</summary>
    public static void RepairIfInterrupted(Prefix prefix)
    {
        if (Directory.Exists(TransactionJournal.Folder(prefix.Path)))
        {
            using var _ = Lock(prefix);
        }
    }
}
