using Krait.Packages;

namespace Krait.Install.Transactions;

/// <summary>
/// The exclusive right to change one prefix, across processes: taken before its conda-meta is read for planning and
/// held until the transaction ends. Taking it also repairs a transaction that an earlier krait left interrupted.
/// </summary>
public sealed class PrefixLock : IDisposable
{
    private readonly CacheLock fileLock;

    private bool released;

    private PrefixLock(Prefix prefix, CacheLock fileLock, string? repaired)
    {
        Prefix = prefix;
        this.fileLock = fileLock;
        Repaired = repaired;
    }

    /// <summary>The prefix this lock is the right to change.</summary>
    public Prefix Prefix { get; }

    /// <summary>What the repair did, or null when there was nothing to repair.</summary>
    public string? Repaired { get; }

    /// <summary>
    /// Waits (up to ten minutes) only while another krait holds the lock; a prefix that cannot be written (read-only,
    /// not the user's) is an error at once, and so is one that another krait removed while this one waited.
    /// </summary>
    public static PrefixLock Acquire(string prefix) => Acquire(Prefix.At(prefix));

    /// <inheritdoc cref="Acquire(string)"/>
    public static PrefixLock Acquire(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var meta = prefix.CondaMeta;
        CacheLock fileLock;
        try
        {
            Directory.CreateDirectory(meta);
            fileLock = CacheLock.Acquire(Path.Combine(meta, ".krait.lock"), TimeSpan.FromMinutes(10), $"another krait is changing the environment {prefix}");
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InstallException($"{prefix} was removed by another krait while this one waited for it; try again", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException io and not LockTimeoutException && !CacheLock.IsHeldByAnother(io)))
        {
            throw new InstallException($"cannot change the environment {prefix}: {e.Message} (is it read-only, or another user's?)", e);
        }

        try
        {
            return new PrefixLock(prefix, fileLock, TransactionRecovery.RepairIfInterrupted(prefix.Path));
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>Fails unless this lock is still held on <paramref name="prefix"/>: what a transaction checks before it touches anything.</summary>
    public void EnsureHolds(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ObjectDisposedException.ThrowIf(released, this);
        if (!Prefix.Equals(prefix))
        {
            throw new ArgumentException($"the lock held is on {Prefix}, not on {prefix}, the prefix to change", nameof(prefix));
        }
    }

    public void Dispose()
    {
        released = true;
        fileLock.Dispose();
    }
}
