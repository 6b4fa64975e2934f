namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Published on the actor system's event stream when an account's session has ended and its outcome is journaled:
/// what the node's metrics and structured log record of each collection. Carries no secret and no server text
/// beyond the host name.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Server">The POP3 server's host name (lower-case).</param>
/// <param name="Outcome"><c>ok</c>, <c>failed</c>, <c>deferred</c> (the server's LOGIN-DELAY) or <c>interrupted</c> (a stop request).</param>
/// <param name="Cause">Why it failed (the server policy's <c>FailureCause</c>, lower-case); <c>none</c> when it succeeded.</param>
/// <param name="Stage">The stage it failed in (<c>connect</c>, <c>retrieve</c>, ...); <c>none</c> when it succeeded.</param>
/// <param name="Listed">Messages the server listed.</param>
/// <param name="Collected">Messages delivered and recorded.</param>
/// <param name="Deleted">Deletions the server committed.</param>
/// <param name="Bytes">Bytes collected.</param>
/// <param name="Duration">The session's wall time.</param>
/// <param name="ScheduleLag">How late a scheduled session started after its slot; null when an operator asked for it.</param>
public sealed record CollectionObserved(
    string AccountId,
    string Server,
    string Outcome,
    string Cause,
    string Stage,
    int Listed,
    int Collected,
    int Deleted,
    long Bytes,
    TimeSpan Duration,
    TimeSpan? ScheduleLag)
{
    /// <summary>
    /// The process CPU (user + system) from the session's start to its end, when no other session of the node overlapped
    /// it; null otherwise (see <see cref="SessionCpuMeter"/>).
    /// </summary>
    public TimeSpan? Cpu { get; init; }
}
