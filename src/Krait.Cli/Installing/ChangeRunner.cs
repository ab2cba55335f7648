using Krait.Cli.Commands;
using Krait.Conda;
using Krait.Install;
using Krait.Install.Transactions;
using Krait.Packages;

namespace Krait.Cli.Installing;

/// <summary>What every command that changes an environment shares: its flags and where things go.</summary>
internal sealed record ChangeContext(
    string Prefix,
    bool DryRun,
    bool Json,
    bool Yes,
    bool Quiet,
    string Platform,
    KraitLocations Locations,
    CondaConfig Config,
    bool CompilePyc = true,
    bool Clobber = false)
{
    public static string CommandLine => "krait " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

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
        Cache = new PackageCache(Locations.PkgsDirs),
        ArchiveOf = LocalArchives.PathOf,
        Command = CommandLine,
        UpdateSpecs = updateSpecs,
        RemoveSpecs = removeSpecs,
        Platform = Platform,
        RootPrefix = Locations.RootPrefix,
        PathConflict = PathConflict,
        CompilePyc = CompilePyc,
        Progress = progress,
    };
}

/// <summary>
/// Shows a plan, asks to proceed (on a terminal, without <c>-y</c>), carries it out with progress, and reports the
/// outcome: conda's JSON with <c>--json</c>; the clobber warnings and link-script messages otherwise.
/// </summary>
internal static class ChangeRunner
{
    public const string NothingToDo = "All requested packages already installed.";

    /// <summary>Runs <paramref name="plan"/> on the existing environment of <paramref name="context"/>, whose lock the caller holds.</summary>
    public static int Apply(TransactionPlan plan, ChangeContext context, IReadOnlyList<MatchSpec> updateSpecs, IReadOnlyList<string> removeSpecs)
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
            PlanOutput.WriteChanges(plan, context.Prefix, context.DryRun);
        }

        if (context.DryRun)
        {
            if (context.Json)
            {
                PlanOutput.WriteChangesJson(plan, context.Prefix, dryRun: true);
            }

            return 0;
        }

        Confirm(context);
        using var interrupt = new Interruption();
        var result = ProgressDisplay.Run(context.Json || context.Quiet, progress => PrefixTransaction.Execute(plan, context.Options(updateSpecs, removeSpecs, progress, interrupt.Token)));
        Report(result, context);
        if (context.Json)
        {
            PlanOutput.WriteChangesJson(plan, context.Prefix, dryRun: false);
        }

        return 0;
    }

    /// <summary>Creates a new environment from <paramref name="records"/>.</summary>
    public static void Create(IReadOnlyList<PackageRecord> records, ChangeContext context, IReadOnlyList<MatchSpec> requested)
    {
        using var interrupt = new Interruption();
        var result = ProgressDisplay.Run(context.Json || context.Quiet, progress => EnvironmentCreator.Create(records, context.Options(requested, [], progress, interrupt.Token)));
        Report(result, context);
        EnvironmentRegistry.Register(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), context.Prefix);
    }

    public static void Confirm(ChangeContext context)
    {
        if (context.Json || context.Yes || Console.IsInputRedirected)
        {
            return;
        }

        Console.Write("Proceed ([y]/n)? ");
        var answer = Console.ReadLine()?.Trim();
        if (answer is not (null or "" or "y" or "Y" or "yes"))
        {
            throw new KraitException("CondaSystemExit", "cancelled: nothing was changed");
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
    public static PrefixLock Lock(string prefix)
    {
        var prefixLock = PrefixLock.Acquire(prefix);
        if (prefixLock.Repaired is { } repaired)
        {
            Console.Error.WriteLine($"krait: {prefix}: {repaired}");
        }

        return prefixLock;
    }

    /// <summary>For commands that only read an environment: repair an interrupted transaction first, if there is one.</summary>
    public static void RepairIfInterrupted(string prefix)
    {
        if (Directory.Exists(TransactionJournal.Folder(prefix)))
        {
            using var _ = Lock(prefix);
        }
    }
}
