namespace Krait.Packages;

/// <summary>
/// An exclusive lock on one cache entry shared across processes: an open lock file that nobody else may open
/// (on Unix .NET takes an advisory flock for FileShare.None). Two krait processes extracting the same package
/// wait for each other instead of writing over each other.
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly FileStream stream;

    private CacheLock(FileStream stream) => this.stream = stream;

    public static CacheLock Acquire(string path, TimeSpan timeout, string holder = "another krait is using this package cache entry")
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                return Open(path);
            }
            catch (IOException e) when (IsHeldByAnother(e) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
                throw new LockTimeoutException($"{path} stayed locked for {timeout.TotalSeconds:F0} s: {holder}; try again when it finishes", e);
            }
        }
    }

    /// <summary>The lock if nobody holds it now, else null (no waiting).</summary>
    public static CacheLock? TryAcquire(string path)
    {
        try
        {
            return Open(path);
        }
        catch (IOException e) when (IsHeldByAnother(e))
        {
            return null;
        }
    }

    /// <summary>Opens the lock file so that nobody else may (on Unix .NET takes an advisory flock for FileShare.None).</summary>
    private static CacheLock Open(string path) => new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));

    /// <summary>
    /// True when the open failed because another process holds the lock (a sharing violation), not because the
    /// folder is read-only, missing or forbidden: only that is worth waiting for.
    /// </summary>
    public static bool IsHeldByAnother(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        const int SharingViolation = unchecked((int)0x80070020);
        const int LockViolation = unchecked((int)0x80070021);
        return e.HResult is SharingViolation or LockViolation || (e.GetType() == typeof(IOException) && e.HResult == 11 /* EWOULDBLOCK from flock */);
    }

    public void Dispose() => stream.Dispose();
}

/// <summary>A lock another krait held for longer than this one would wait.</summary>
public sealed class LockTimeoutException : IOException
{
    public LockTimeoutException()
    {
    }

    public LockTimeoutException(string message)
        : base(message)
    {
    }

    public LockTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
