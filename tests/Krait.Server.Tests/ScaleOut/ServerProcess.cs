using System.Diagnostics;
using System.Text;

namespace Krait.Server.Tests.ScaleOut;

/// <summary>A server program the scale-out tests start (PostgreSQL, s3rver), with what it prints kept for the message of a failed start.</summary>
public sealed class ServerProcess
{
    private readonly StringBuilder log = new();

    private ServerProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Everything the program printed so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static ServerProcess Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var started = new ServerProcess(Process.Start(start)!);
        started.Process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        started.Process.OutputDataReceived += (_, e) => started.Append(e.Data);
        started.Process.BeginErrorReadLine();
        started.Process.BeginOutputReadLine();
        return started;
    }

    /// <summary>Waits until <paramref name="url"/> answers with success (at most a minute); fails with what the program printed if it exits or never does.</summary>
    public void WaitUntilServing(string url, string name)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = probe.GetAsync(url).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (Process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"{name} did not start on {url}:\n{Log}");
            }

            Thread.Sleep(100);
        }
    }

    private void Append(string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
