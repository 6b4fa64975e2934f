using System.Collections.Concurrent;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// A POP3 relay in front of the private Dovecot that the server side of the per-server cap is seen at: it counts the
/// sessions open at once (from accept until the client's QUIT is seen or either side closes) and their peak, and
/// records each login attempt's user and password (plain POP3 on loopback, test-only), so a test sees which password a
/// node actually used and when logins stop. Optionally holds each new connection a while before relaying it, so
/// sessions overlap and the cap is really contended.
/// </summary>
public sealed class SessionGate(int targetPort, TimeSpan holdBeforeGreeting) : TcpRelay(targetPort, backlog: 1024)
{
    private readonly ConcurrentDictionary<int, Session> sessions = new();
    private readonly ConcurrentQueue<Login> logins = new();
    private readonly Lock gate = new();
    private int open;
    private int peak;

    /// <summary>Sessions open now.</summary>
    public int Open
    {
        get
        {
            lock (gate)
            {
                return open;
            }
        }
    }

    /// <summary>The most sessions ever open at once.</summary>
    public int Peak
    {
        get
        {
            lock (gate)
            {
                return peak;
            }
        }
    }

    /// <summary>Every login attempt (a PASS after a USER), in order.</summary>
    public IReadOnlyList<Login> Logins => [.. logins];

    /// <summary>Login attempts of <paramref name="user"/>.</summary>
    public IReadOnlyList<Login> LoginsOf(string user) => [.. logins.Where(l => l.User == user)];

    /// <summary>Resets the peak (a new phase of a test).</summary>
    public void ResetPeak()
    {
        lock (gate)
        {
            peak = open;
        }
    }

    protected override async Task OnAcceptedAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        sessions[connection.Number] = new Session();
        lock (gate)
        {
            peak = Math.Max(peak, ++open);
        }

        if (holdBeforeGreeting > TimeSpan.Zero)
        {
            await Task.Delay(holdBeforeGreeting, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void OnClientLine(RelayConnection connection, string line)
    {
        if (!sessions.TryGetValue(connection.Number, out var session))
        {
            return;
        }

        if (line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase))
        {
            session.User = line[5..].Trim();
        }
        else if (line.StartsWith("PASS ", StringComparison.OrdinalIgnoreCase) && session.User is { } user)
        {
            logins.Enqueue(new Login(user, line[5..].Trim(), DateTimeOffset.UtcNow));
        }
        else if (line.Equals("QUIT", StringComparison.OrdinalIgnoreCase))
        {
            End(connection.Number);
        }
    }

    protected override void OnClosed(RelayConnection connection)
    {
        End(connection.Number);
        sessions.TryRemove(connection.Number, out _);
    }

    private void End(int number)
    {
        lock (gate)
        {
            if (sessions.TryGetValue(number, out var session) && !session.Ended)
            {
                session.Ended = true;
                open--;
            }
        }
    }

    /// <summary>One login attempt seen at the server side.</summary>
    public sealed record Login(string User, string Password, DateTimeOffset At);

    private sealed class Session
    {
        public string? User { get; set; }

        public bool Ended { get; set; }
    }
}
