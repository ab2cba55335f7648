using Krait.Conda;
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

/// <summary>A step of a transaction, for progress bars: <c>Stage</c> is <c>extract</c>, <c>link</c> or <c>unlink</c>.</summary>
public readonly record struct TransactionProgress(string Stage, string Package, int Done, int Total);

/// <summary>How to carry out a <see cref="TransactionPlan"/> on one prefix.</summary>
public sealed record TransactionOptions
{
    public required string Prefix { get; init; }

    public required PackageCache Cache { get; init; }

    /// <summary>The archive of a record to link, as a local file (a local channel's file, or a finished download).</summary>
    public required Func<PackageRecord, string> ArchiveOf { get; init; }

    /// <summary>The command line, for <c>conda-meta/history</c>.</summary>
    public required string Command { get; init; }

    /// <summary>The specs this command asked for (<c># update specs</c> in the history), by package name for <c>requested_spec</c>.</summary>
    public IReadOnlyList<MatchSpec> UpdateSpecs { get; init; } = [];

    /// <summary>The specs this command removed (<c># remove specs</c>).</summary>
    public IReadOnlyList<string> RemoveSpecs { get; init; } = [];

    public string Platform { get; init; } = Conda.Platform.Current;

    public string? RootPrefix { get; init; }

    public PathConflict PathConflict { get; init; } = PathConflict.Clobber;

    /// <summary>Byte-compile the <c>.py</c> files of <c>noarch: python</c> packages (conda's default).</summary>
    public bool CompilePyc { get; init; } = true;

    /// <summary>Run link scripts; without it, a package that has one is refused.</summary>
    public bool RunLinkScripts { get; init; } = true;

    public IProgress<TransactionProgress>? Progress { get; init; }

    /// <summary>Ctrl-C and the like: checked between steps; a cancelled transaction rolls back and throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a finished transaction reports: clobbered paths and other warnings, and the messages link scripts left.</summary>
public sealed record TransactionResult(IReadOnlyList<string> Warnings, string? Messages);
