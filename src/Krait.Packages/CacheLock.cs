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
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
            catch (IOException e)
            {
                throw new IOException($"{path} stayed locked for {timeout.TotalSeconds:F0} s: {holder}; try again when it finishes", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
