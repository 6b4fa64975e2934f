using System.Collections.Concurrent;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// A TCP forwarder in front of the POP3 server that reads the client's <c>USER</c> line of each connection and
/// counts, per mailbox, how many sessions are open at once: the server-side proof that no mailbox was ever in two
/// sessions at once, whatever the nodes believe.
/// </summary>
internal sealed class SessionOverlapProxy(int targetPort) : TcpRelay(targetPort, backlog: 1024)
{
    private readonly ConcurrentDictionary<int, string> users = new();
    private readonly Dictionary<string, int> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> maxOpen = new(StringComparer.Ordinal);
    private readonly HashSet<int> quit = [];
    private int sessions;
    private int live;
    private int peak;

    /// <summary>The most connections open at once (counted from accept until the client's QUIT or a close): the per-server cap as the server sees it.</summary>
    public int Peak
    {
        get
        {
            lock (quit)
            {
                return peak;
            }
        }
    }

    /// <summary>Connections that sent a USER line.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    /// <summary>Mailboxes that were ever in more than one session at once, with their peak.</summary>
    public IReadOnlyDictionary<string, int> Overlaps()
    {
        lock (open)
        {
            return maxOpen.Where(kv => kv.Value > 1).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        }
    }

    protected override Task OnAcceptedAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        lock (quit)
        {
            peak = Math.Max(peak, ++live);
        }

        return Task.CompletedTask;
    }

    /// <summary>The USER command names the mailbox; the session counts from then until the connection ends.</summary>
    protected override void OnClientLine(RelayConnection connection, string line)
    {
        if (line.Equals("QUIT", StringComparison.OrdinalIgnoreCase))
        {
            lock (quit)
            {
                if (quit.Add(connection.Number))
                {
                    live--;
                }
            }
        }

        if (!line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase) || !users.TryAdd(connection.Number, line[5..].Trim()))
        {
            return;
        }

        var user = users[connection.Number];
        Interlocked.Increment(ref sessions);
        lock (open)
        {
            var now = open.GetValueOrDefault(user) + 1;
            open[user] = now;
            maxOpen[user] = Math.Max(maxOpen.GetValueOrDefault(user), now);
        }
    }

    /// <summary>A connection cut by either side (kill -9 of a node included) ends its session.</summary>
    protected override void OnClosed(RelayConnection connection)
    {
        lock (quit)
        {
            if (!quit.Remove(connection.Number))
            {
                live--;
            }
        }

        if (users.TryRemove(connection.Number, out var user))
        {
            lock (open)
            {
                open[user]--;
            }
        }
    }
}
