using System.Net;
using System.Net.Sockets;

namespace Krait.TestSupport;

/// <summary>A TCP port of 127.0.0.1 nothing listens on now, for a server a test starts as a separate process.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
