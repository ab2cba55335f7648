using System.Collections.Concurrent;

namespace Krait.Server.Publishing;

/// <summary>
/// Runs work off the request path, one run per key at a time: asking while a run is going asks for one more run after
/// it, so bursts coalesce and the last run always sees the newest state (the monolithic repodata.json of a large
/// subdir, and its .zst).
/// </summary>
public sealed class BackgroundWork : IDisposable
{
    private readonly ConcurrentDictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();

    public void Schedule(string key, Func<CancellationToken, Task> work)
    {
        var job = jobs.GetOrAdd(key, _ => new Job());
        lock (job)
        {
            job.Again = true;
            if (job.Running)
            {
                return;
            }

            job.Running = true;
        }

        _ = Task.Run(
            async () =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    lock (job)
                    {
                        if (!job.Again)
                        {
                            job.Running = false;
                            return;
                        }

                        job.Again = false;
                    }

                    try
                    {
                        await work(stopping.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                        // The disk is full or the server stops: the next publication asks again.
                    }
                }
            },
            stopping.Token);
    }

    /// <summary>Waits until no work is running (a command that exits, a benchmark that reads what the work writes).</summary>
    public async Task IdleAsync()
    {
        while (jobs.Values.Any(j => j.Running))
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private sealed class Job
    {
        public bool Running { get; set; }

        public bool Again { get; set; }
    }
}
