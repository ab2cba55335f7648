using Krait.Packages;

namespace Krait.Install.Transactions;

/// <summary>
/// The exclusive right to change one prefix, across processes: taken before its conda-meta is read for planning and
/// held until the transaction ends. Taking it also repairs a transaction that an earlier krait left interrupted.
/// </summary>
public sealed class PrefixLock : IDisposable
{
    private readonly CacheLock fileLock;

    private PrefixLock(CacheLock fileLock, string? repaired)
    {
        this.fileLock = fileLock;
        Repaired = repaired;
    }

    /// <summary>What the repair did, or null when there was nothing to repair.</summary>
    public string? Repaired { get; }

    public static PrefixLock Acquire(string prefix)
    {
        var meta = Path.Combine(prefix, "conda-meta");
        Directory.CreateDirectory(meta);
        var fileLock = CacheLock.Acquire(Path.Combine(meta, ".krait.lock"), TimeSpan.FromMinutes(10), $"another krait is changing the environment {prefix}");
        try
        {
            return new PrefixLock(fileLock, TransactionRecovery.RepairIfInterrupted(prefix));
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    public void Dispose() => fileLock.Dispose();
}
