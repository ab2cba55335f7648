using Krait.Conda.Records;
using Krait.Install.Transactions;

namespace Krait.Install.Environments;

/// <summary>
/// The environment service's last two steps, for the CLI, a server or a builder alike: fetch what the package cache
/// lacks (through <see cref="IArchiveFetcher"/>), then carry out the change as one crash-safe transaction, each
/// archive taken from where <see cref="PackageArchives"/> says it is. Solving comes before it
/// (<see cref="EnvironmentSolver"/>, <see cref="Removal"/>); what to show and ask the user stays with the caller.
/// </summary>
/// <param name="fetcher">The network, or null where there is none: a record whose archive must be fetched is then an error.</param>
public sealed class EnvironmentInstaller(IArchiveFetcher? fetcher)
{
    /// <summary>Creates a new environment at <see cref="TransactionOptions.Prefix"/> holding exactly <paramref name="records"/>.</summary>
    public TransactionResult Create(IReadOnlyList<PackageRecord> records, TransactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Fetch(records, options);
        return EnvironmentCreator.Create(records, options);
    }

    /// <summary>Carries out <paramref name="plan"/> on the existing environment at <see cref="TransactionOptions.Prefix"/>, whose lock the caller holds (<paramref name="held"/>).</summary>
    public TransactionResult Apply(TransactionPlan plan, PrefixLock held, TransactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(options);
        held.EnsureHolds(options.Prefix); // before any download; the transaction checks again, for callers that go to it directly
        Fetch(plan.Link, options);
        return PrefixTransaction.Execute(plan, held, options);
    }

    /// <summary>Brings the remote archives no package cache holds yet into the cache, all in one request to the fetcher.</summary>
    private void Fetch(IReadOnlyList<PackageRecord> records, TransactionOptions options)
    {
        var needed = records.Where(r => PackageArchives.MustFetch(r, options.Cache)).ToList();
        if (needed.Count == 0)
        {
            return;
        }

        if (fetcher is null)
        {
            throw new InstallException($"{needed[0]} must be downloaded, and nothing here can download it");
        }

        fetcher.Fetch(needed, options.Cache, options.Progress, options.Cancellation);
    }
}
