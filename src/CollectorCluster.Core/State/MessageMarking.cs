using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.State;

/// <summary>
/// The seed's "Collector Tasks" on one message: which marks an operator may set or clear, and what each records.
/// Download needs a collected UIDL (or one the size limit skipped, which the mark overrides): anything else is fetched
/// anyway. Delete accepts any UIDL; clearing a UIDL without a mark records nothing. Pure, so every branch is table-tested.
/// </summary>
public static class MessageMarking
{
    private static readonly MarkDecision NoUidl = new(false, "refused: a mark needs a UIDL");

    /// <summary>Decides a mark.</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="uidl">The message's UIDL as the operator gave it.</param>
    /// <param name="mark">The mark to set, or null to clear the message's mark.</param>
    /// <param name="now">When (the event's time).</param>
    public static MarkDecision Decide(AccountState state, string? uidl, MessageMark? mark, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (string.IsNullOrWhiteSpace(uidl))
        {
            return NoUidl;
        }

        return mark switch
        {
            MessageMark.Download when !state.HasCollected(uidl) && !state.Oversize.ContainsKey(uidl) => new MarkDecision(
                false, $"refused: {uidl} has not been collected (or the server no longer lists it), so there is nothing to download again"),
            MessageMark.Download => new MarkDecision(
                true, "marked for download: the next session collects it again", new MessageMarked(uidl, nameof(MessageMark.Download), now)),
            MessageMark.Delete => new MarkDecision(
                true, "marked for deletion: the next session deletes it on the server if it is still listed", new MessageMarked(uidl, nameof(MessageMark.Delete), now)),
            null when !state.Marks.ContainsKey(uidl) => new MarkDecision(true, "had no mark"),
            null => new MarkDecision(true, "mark cleared", new MarkCleared(uidl, now)),
            _ => Unknown(uidl, mark.ToString()!),
        };
    }

    /// <summary>Refuses an action this version does not know (a newer client's, say).</summary>
    /// <param name="uidl">The message's UIDL as the operator gave it.</param>
    /// <param name="action">The action's name.</param>
    public static MarkDecision Unknown(string? uidl, string action) =>
        string.IsNullOrWhiteSpace(uidl) ? NoUidl : new MarkDecision(false, $"refused: unknown action {action}");
}
