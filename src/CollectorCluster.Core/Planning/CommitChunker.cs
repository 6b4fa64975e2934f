namespace CollectorCluster.Core.Planning;

/// <summary>
/// Cuts a plan into the part one session carries out before it QUITs, so deletions are committed every N messages
/// or M bytes (see <see cref="CommitEvery"/>). The session replans after reconnecting (message numbers change), so
/// only the first chunk is ever needed. Pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Nothing to delete (no <see cref="CollectionPlan.DeleteAfterFetch"/>, empty
/// <see cref="CollectionPlan.Delete"/>) or <see cref="CommitEvery.IsNever"/>: the whole plan, no more.</description></item>
/// <item><description>Otherwise messages are taken from <see cref="CollectionPlan.Fetch"/> in order until the chunk holds
/// <see cref="CommitEvery.Messages"/> of them or their sizes reach <see cref="CommitEvery.Bytes"/> (a limit ≤ 0 does not
/// count); at least one is taken, so a message larger than the byte limit still goes alone. Then, while the message
/// budget lasts, the plan's <see cref="CollectionPlan.Delete"/> entries (a DELE moves no bytes, so only the message
/// count applies).</description></item>
/// <item><description>Vanished UIDLs and warnings stay with the chunk; <see cref="PlanChunk.More"/> says whether anything
/// was left out.</description></item>
/// </list>
/// </remarks>
public static class CommitChunker
{
    /// <summary>The first chunk of <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static PlanChunk First(CollectionPlan plan, CommitEvery every)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(every);
        if (every.IsNever || (!plan.DeleteAfterFetch && plan.Delete.Count == 0))
        {
            return new PlanChunk(plan, false);
        }

        var maxMessages = every.Messages > 0 ? every.Messages : int.MaxValue;
        var maxBytes = every.Bytes > 0 ? every.Bytes : long.MaxValue;
        var fetch = new List<ListedMessage>();
        long bytes = 0;
        var full = false;
        foreach (var m in plan.Fetch)
        {
            if (fetch.Count >= maxMessages || (fetch.Count > 0 && bytes >= maxBytes))
            {
                full = true;
                break;
            }

            fetch.Add(m);
            bytes += m.Size;
        }

        full |= fetch.Count >= maxMessages || bytes >= maxBytes;
        var room = full ? 0 : maxMessages - fetch.Count;
        var delete = plan.Delete.Take(room).ToList();
        var more = fetch.Count < plan.Fetch.Count || delete.Count < plan.Delete.Count;
        return more
            ? new PlanChunk(plan with { Fetch = fetch, Delete = delete }, true)
            : new PlanChunk(plan, false);
    }
}
