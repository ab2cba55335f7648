using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Packages;

namespace Krait.Install.Transactions;

/// <summary>conda's <c>path_conflict</c>: what to do when two packages ship the same path.</summary>
public enum PathConflict
{
    /// <summary>The later package's file wins; the clash is reported (conda's default).</summary>
    Clobber,

    /// <summary>Like <see cref="Clobber"/>.</summary>
    Warn,

    /// <summary>The transaction is refused before anything changes.</summary>
    Prevent,
}

/// <summary>What to do with packages' link scripts (pre-link, post-link, pre-unlink): code of the package's, run as the user.</summary>
public enum LinkScriptPolicy
{
    /// <summary>Run them, as conda does (the default).</summary>
    Run,

    /// <summary>Install without running them, saying which were not run (pixi's default; a package may then not work).</summary>
    Skip,

    /// <summary>Refuse, before anything changes, any transaction that would run one: for a security team's policy.</summary>
    Refuse,
}

/// <summary>conda's <c>safety_checks</c>: what to do when a package's files differ from its <c>info/paths.json</c>.</summary>
public enum SafetyChecks
{
    /// <summary>Install, and say which files differ (conda's default).</summary>
    Warn,

    /// <summary>Refuse the package before anything changes.</summary>
    Enabled,

    /// <summary>Do not check.</summary>
    Disabled,
}

/// <summary>A step of a transaction, for progress bars: <c>Stage</c> is <c>extract</c>, <c>link</c> or <c>unlink</c>.</summary>
public readonly record struct TransactionProgress(string Stage, string Package, int Done, int Total);

/// <summary>How to carry out a <see cref="TransactionPlan"/> on one prefix.</summary>
public sealed record TransactionOptions
{
    public required Prefix Prefix { get; init; }

    public required PackageCache Cache { get; init; }

    /// <summary>
    /// The archive of a record to link, as a local file; by default where <see cref="Environments.PackageArchives.Locate"/>
    /// says (a local channel's file, or a download <see cref="Environments.EnvironmentInstaller"/> fetched into the cache).
    /// </summary>
    public Func<PackageRecord, string>? ArchiveOf { get; init; }

    /// <summary>The command line, for <c>conda-meta/history</c>.</summary>
    public required string Command { get; init; }

    /// <summary>The specs this command asked for (<c># update specs</c> in the history), by package name for <c>requested_spec</c>.</summary>
    public IReadOnlyList<MatchSpec> UpdateSpecs { get; init; } = [];

    /// <summary>The specs this command removed (<c># remove specs</c>).</summary>
    public IReadOnlyList<string> RemoveSpecs { get; init; } = [];

    public string Platform { get; init; } = Krait.Conda.Platforms.Platform.Native;

    public string? RootPrefix { get; init; }

    public PathConflict PathConflict { get; init; } = PathConflict.Clobber;

    /// <summary>Copy every file into the prefix instead of hard-linking it (conda's <c>--copy</c>, <c>always_copy</c>).</summary>
    public bool AlwaysCopy { get; init; }

    /// <summary>Byte-compile the <c>.py</c> files of <c>noarch: python</c> packages (conda's default).</summary>
    public bool CompilePyc { get; init; } = true;

    public LinkScriptPolicy LinkScripts { get; init; } = LinkScriptPolicy.Run;

    /// <summary>How long one link script may run before it is killed and the transaction rolled back; null for no limit.</summary>
    public TimeSpan? LinkScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public SafetyChecks SafetyChecks { get; init; } = SafetyChecks.Warn;

    /// <summary>conda's <c>extra_safety_checks</c>: hash every file of every package being linked, even those Krait checked when it unpacked them.</summary>
    public bool ExtraSafetyChecks { get; init; }

    /// <summary>Told, before anything changes, which packages carry link scripts and what happens to them (one line per package).</summary>
    public Action<IReadOnlyList<string>>? LinkScriptsFound { get; init; }

    public IProgress<TransactionProgress>? Progress { get; init; }

    /// <summary>Ctrl-C and the like: checked between steps; a cancelled transaction rolls back and throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a finished transaction reports: clobbered paths and other warnings, and the messages link scripts left.</summary>
public sealed record TransactionResult(IReadOnlyList<string> Warnings, string? Messages);
