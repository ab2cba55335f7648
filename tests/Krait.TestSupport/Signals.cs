using System.Runtime.InteropServices;

namespace Krait.TestSupport;

/// <summary>
/// Sends a signal straight to a process (POSIX only), without starting <c>kill</c>: a test that must hit a short
/// window (Ctrl-C during a transaction) cannot afford the milliseconds a child process takes to start.
/// </summary>
public static partial class Signals
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <summary>What Ctrl-C on a terminal sends.</summary>
    public static void Interrupt(int processId) => Send(processId, SigInt, "SIGINT");

    /// <summary>What a service manager sends to stop a program.</summary>
    public static void Terminate(System.Diagnostics.Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Send(process.Id, SigTerm, "SIGTERM");
    }

    private static void Send(int processId, int signal, string name)
    {
        if (Kill(processId, signal) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != 3) // ESRCH: it has exited already, which the caller sees
            {
                throw new InvalidOperationException($"kill({processId}, {name}) failed with errno {error}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
