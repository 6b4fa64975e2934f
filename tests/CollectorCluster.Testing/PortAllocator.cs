using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.Testing;

/// <summary>
/// Hands out free loopback TCP ports so fixtures (Dovecot, fake servers, cluster nodes) can run side by side;
/// a process-wide set guarantees two fixtures in one process never receive the same port.
/// </summary>
public static class PortAllocator
{
    private static readonly HashSet<int> Reserved = [];
    private static readonly Lock Gate = new();

    /// <summary>Reserves one free port on 127.0.0.1 that no other caller in this process has been given.</summary>
    public static int Reserve()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = ProbeFreePort();
                if (Reserved.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("Could not find a free loopback port after 1000 attempts.");
    }

    /// <summary>Reserves <paramref name="count"/> distinct free ports.</summary>
    public static IReadOnlyList<int> Reserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            ports[i] = Reserve();
        }

        return ports;
    }

    /// <summary>Returns a port to the pool (optional: ports are cheap and reservations end with the process).</summary>
    public static void Release(int port)
    {
        lock (Gate)
        {
            Reserved.Remove(port);
        }
    }

    private static int ProbeFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
