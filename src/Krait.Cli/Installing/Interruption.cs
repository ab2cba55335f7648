using System.Runtime.InteropServices;

namespace Krait.Cli.Installing;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM during a transaction into a cancellation it can roll back from at its next step,
/// instead of the process dying with the prefix half-changed (which the journal would still repair, one command later).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    public Interruption()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel),
        ];
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        source.Dispose();
    }

    private void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        source.Cancel();
    }
}
