namespace CollectorCluster.Core.Delivery;

/// <summary>
/// Deliveries of one collection session. Names derive from the mailbox scope + UIDL, so a message delivered before
/// a crash (and not yet recorded in the journal) is recognised instead of delivered twice.
/// </summary>
public interface IDeliverySession : IAsyncDisposable
{
    /// <summary>
    /// Streams one message into the destination. The content is read to its end and never held whole in memory.
    /// With a null UIDL the key is derived from the content (<c>sha256:…</c>). A destination that already holds a
    /// message under the UIDL's name reports it as already present only when it is the same message; another message
    /// under a reused UIDL is delivered under a key of its own (<see cref="DeliveryReceipt.Key"/>).
    /// </summary>
    /// <returns>The key used, the size, and whether the destination already had it.</returns>
    Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken);

    /// <summary>Makes every delivery so far durable (e.g. fsync of the directory) before the journal records them.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
