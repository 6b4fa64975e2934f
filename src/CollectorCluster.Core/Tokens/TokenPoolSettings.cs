namespace CollectorCluster.Core.Tokens;

/// <summary>
/// The caps a node's <see cref="TokenPool"/> enforces. Kept apart from the pool so configuration can be validated
/// (and shown by <c>check</c>) without building one.
/// </summary>
/// <param name="MaxSessions">Live POP3 sessions per node (Mailtraq's MaxPop3Clients).</param>
/// <param name="MaxConnecting">Half-open connect attempts per node (Windows caps those at about 10 per second; the seed advises 20).</param>
/// <param name="MaxPerServer">Sessions per remote host, so one slow provider cannot take every slot or be hammered.</param>
/// <param name="LeaseTimeout">A session that makes no progress for this long is aborted and its lease given back (progress renews it).</param>
/// <param name="AgingStep">Each full step a request has waited counts as one more priority, so nothing starves.</param>
public sealed record TokenPoolSettings(int MaxSessions, int MaxConnecting, int MaxPerServer, TimeSpan LeaseTimeout, TimeSpan AgingStep)
{
    /// <summary>Mailtraq's defaults: 10 sessions, 20 connecting, 4 per server, 30 minute leases, one priority per minute waited.</summary>
    public static TokenPoolSettings Default { get; } = new(10, 20, 4, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessions, 1, nameof(MaxSessions));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnecting, 1, nameof(MaxConnecting));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPerServer, 1, nameof(MaxPerServer));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseTimeout, TimeSpan.Zero, nameof(LeaseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AgingStep, TimeSpan.Zero, nameof(AgingStep));
    }
}
