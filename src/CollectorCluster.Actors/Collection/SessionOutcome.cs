using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>A finished session: the event to persist (<see cref="CollectionCompleted"/> or <see cref="CollectionFailed"/>) and its figures.</summary>
public sealed record SessionOutcome(IAccountEvent Event, bool Succeeded, int Listed, int Collected, int Deleted, long Bytes, TimeSpan Duration, string Detail)
{
    /// <summary>Why it failed, for the server policy; <see cref="FailureCause.None"/> when it succeeded.</summary>
    public FailureCause Cause { get; init; }

    /// <summary>What the server advertised after login, or null when the login did not succeed.</summary>
    public Pop3ServerCapabilities? Capabilities { get; init; }

    /// <summary>When the login succeeded (LOGIN-DELAY counts from it), or null.</summary>
    public DateTimeOffset? LoggedInAt { get; init; }

    /// <summary>A stop request (SIGTERM, Ctrl+C, a hand-off) ended the session before all it planned was done.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The process CPU the session used, when it ran alone on the node (see <c>SessionCpuMeter</c>); else null.</summary>
    public TimeSpan? Cpu { get; init; }
}
