namespace CollectorCluster.Core.Routing;

/// <summary>
/// The recipients' memory of delivered copies, shared by every account and session (on a cluster: one sharded actor per
/// recipient). A session claims a copy before delivering it, confirms once the destination holds it durably, or releases
/// the claim when the delivery failed.
/// </summary>
public interface IDuplicateLedger
{
    /// <summary>
    /// Asks to deliver <paramref name="key"/> from <paramref name="source"/> to <paramref name="recipient"/>. Never answers
    /// <see cref="ClaimAnswer.Wait"/>: while another source holds a claim, the answer waits for it to end.
    /// </summary>
    /// <returns>The answer, and for a duplicate the source whose copy the recipient has.</returns>
    Task<(ClaimAnswer Answer, string? DeliveredFrom)> ClaimAsync(string recipient, string key, string source, CancellationToken cancellationToken);

    /// <summary>Records the copy as delivered (durably) until <paramref name="at"/> plus <paramref name="window"/>.</summary>
    Task ConfirmAsync(string recipient, string key, string source, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Gives up a claim whose delivery failed, so the next attempt (from any source) may deliver.</summary>
    Task ReleaseAsync(string recipient, string key, string source, CancellationToken cancellationToken);
}
