using System.Globalization;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The session deadline of one connection, as arithmetic: how long the session may spend waiting on the server
/// (the allowance) against how long it has (the time waited). The allowance is a base plus what the server was
/// asked for: every byte listed to fetch and every listing byte received at the throughput floor, and every
/// RETR, TOP or DELE at the per-message allowance. Only time spent waiting for the server's bytes counts, so a slow
/// destination on our side never cuts a healthy session, while a server that trickles runs out of allowance.
/// </summary>
internal sealed class SessionBudget
{
    // TimeSpan cannot hold what a hostile LIST size divided by the floor may give; a century is "unlimited" enough.
    private const double MaxSeconds = 100 * 365.25 * 24 * 3600;

    private readonly Pop3Limits _limits;

    /// <summary>Starts with the base allowance and nothing waited.</summary>
    public SessionBudget(Pop3Limits limits) => _limits = limits;

    /// <summary>Time spent waiting for the server so far.</summary>
    public TimeSpan Waited { get; private set; }

    /// <summary>Listing bytes (UIDL, LIST, CAPA lines) received so far.</summary>
    public long ListingBytes { get; private set; }

    /// <summary>Listed bytes of the messages asked for (RETR, TOP).</summary>
    public long FetchBytes { get; private set; }

    /// <summary>RETR, TOP and DELE commands asked for.</summary>
    public long Commands { get; private set; }

    /// <summary>How long the session may wait on the server in all.</summary>
    public TimeSpan Allowance
    {
        get
        {
            var seconds = _limits.DeadlineBase.TotalSeconds
                + ((double)ListingBytes / _limits.MinThroughput)
                + ((double)FetchBytes / _limits.MinThroughput)
                + (Commands * _limits.DeadlinePerMessage.TotalSeconds);
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxSeconds));
        }
    }

    /// <summary>Allowance left; zero or less means the deadline has passed.</summary>
    public TimeSpan Remaining => Allowance - Waited;

    /// <summary>Counts time spent waiting on the server.</summary>
    public void AddWaited(TimeSpan waited)
    {
        if (waited > TimeSpan.Zero)
        {
            Waited += waited;
        }
    }

    /// <summary>A listing line received (its bytes with CRLF) earns its share at the floor.</summary>
    public void CreditListing(int bytes) => ListingBytes += Math.Max(0, bytes);

    /// <summary>Commands asked of the server, and the listed bytes of the messages they fetch.</summary>
    public void CreditRequest(int commands, long listedBytes)
    {
        Commands += Math.Max(0, commands);
        FetchBytes = listedBytes > long.MaxValue - FetchBytes ? long.MaxValue : FetchBytes + Math.Max(0, listedBytes);
    }

    /// <summary>The figures, for the error that ends a session at its deadline.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"waited {Seconds(Waited)} on the server, allowed {Seconds(Allowance)} = base {Seconds(_limits.DeadlineBase)}"
        + $" + {ListingBytes + FetchBytes:N0} bytes listed or to fetch at the {_limits.MinThroughput:N0} bytes/s floor"
        + $" + {Commands:N0} command(s) x {Seconds(_limits.DeadlinePerMessage)}");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
