using Krait.Conda.Records;
using Krait.Install.Transactions;
using Krait.Packages;

namespace Krait.Install.Environments;

/// <summary>
/// How the archives a package cache lacks are brought into it, verified: the installer asks, the network answers
/// (the CLI's and the server's implementations download them; Krait.Install itself knows no HTTP).
/// </summary>
public interface IArchiveFetcher
{
    /// <summary>Puts the archive of each record into <paramref name="cache"/>, verified against the record, or throws naming what failed.</summary>
    void Fetch(IReadOnlyList<PackageRecord> records, PackageCache cache, IProgress<TransactionProgress>? progress, CancellationToken cancellation);
}
