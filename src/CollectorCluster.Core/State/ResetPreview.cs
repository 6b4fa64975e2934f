namespace CollectorCluster.Core.State;

/// <summary>
/// What a collector reset would forget, so the operator sees the cost ("N messages, B bytes will be collected
/// again") before confirming. Pure; the same rule as <see cref="AccountState.Apply"/> uses for
/// <see cref="Events.CollectorReset"/>.
/// </summary>
/// <param name="Messages">Collected UIDLs that would be forgotten.</param>
/// <param name="Bytes">Their size in octets.</param>
public sealed record ResetPreview(int Messages, long Bytes)
{
    /// <summary>Counts the collected messages a reset with <paramref name="since"/> forgets.</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="since">Only messages first seen at or after this; null means all.</param>
    public static ResetPreview Compute(AccountState state, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(state);
        var count = 0;
        long bytes = 0;
        foreach (var m in state.Collected.Values)
        {
            if (AccountState.ForgottenByReset(m, since))
            {
                count++;
                bytes += m.Size;
            }
        }

        return new ResetPreview(count, bytes);
    }
}
