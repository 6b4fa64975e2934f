using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Multidrop;

/// <summary>
/// One collection session's multidrop deliveries: spool, route, then for each user claim the copy, deliver it, make it
/// durable and confirm it; finally journal the routing. Users' destinations are opened on first use and kept for the
/// session. Not safe for concurrent calls.
/// </summary>
internal sealed class MultidropDeliverySession(MultidropDestination destination, MailboxScope scope) : IDeliverySession
{
    private readonly string accountId = scope.AccountId;

    private readonly Dictionary<string, IDeliverySession> _users = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <inheritdoc />
    /// <remarks>
    /// A message no local user takes (no local address and no default) is refused permanently, before anything is
    /// delivered: it stays on the POP3 server. A user's delivery failing releases that user's claim and fails the
    /// message; copies delivered before it are recognised when the message comes again.
    /// </remarks>
    public async Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(content);
        var settings = destination.Settings;
        await using var spool = await Spool(content, cancellationToken).ConfigureAwait(false);
        var key = uidl ?? MaildirNames.ContentKey(spool.Sha256);
        var header = HeaderBlock.Parse(spool.Head);
        var decision = RecipientRouter.Route(header, settings);
        if (decision.Users.Count == 0)
        {
            throw new DeliveryRefusedException(
                destination.Description, accountId, $"message {key} (no local recipient)", string.Join("; ", decision.Refused.Select(r => $"{r.Address}: {r.Reason}")), transient: false);
        }

        var duplicateKey = DuplicateKey.For(HeaderBlock.Values(header, "Message-ID").FirstOrDefault(), spool.BodySha256);
        var source = RecipientId.Source(accountId, key);
        // Without a Message-ID only this very message from this source matches (its content too: a server may reuse a UIDL).
        var ledgerKey = duplicateKey ?? DuplicateKey.ForSource($"{source}\n{Convert.ToHexStringLower(spool.Sha256)}");
        var copies = new List<RoutedCopy>(decision.Users.Count);
        foreach (var user in decision.Users)
        {
            var spec = settings.Destinations[user.User];
            var recipient = RecipientId.For(spec);
            var (answer, deliveredFrom) = await Ledger(() => destination.Ledger.ClaimAsync(recipient, ledgerKey, source, cancellationToken), user.User).ConfigureAwait(false);
            switch (answer)
            {
                case ClaimAnswer.Granted:
                    var fresh = await CopyAsync(user.User, spec, key, spool, recipient, ledgerKey, source, cancellationToken).ConfigureAwait(false);
                    copies.Add(new RoutedCopy(user.User, user.Via, fresh ? CopyOutcome.Delivered : CopyOutcome.AlreadyDelivered));
                    break;
                case ClaimAnswer.AlreadyDelivered:
                    copies.Add(new RoutedCopy(user.User, user.Via, CopyOutcome.AlreadyDelivered));
                    break;
                default:
                    copies.Add(new RoutedCopy(user.User, user.Via, CopyOutcome.Duplicate, deliveredFrom));
                    break;
            }
        }

        var routed = new MessageRouted(key, duplicateKey, decision.Source, copies, decision.Refused, destination.Clock.GetUtcNow());
        await destination.Journal.RecordRoutedAsync(routed).ConfigureAwait(false);
        var summary = string.Join(", ", copies.Select(c => c.Outcome == CopyOutcome.Delivered ? c.User : $"{c.User} ({Describe(c.Outcome)})"));
        return new DeliveryReceipt(key, spool.Length, copies.All(c => c.Outcome != CopyOutcome.Delivered), $"{destination.Description}: {summary}");
    }

    /// <inheritdoc />
    /// <remarks>Every copy was made durable before it was confirmed: nothing is left to flush.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var session in _users.Values)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _users.Clear();
    }

    private static string Describe(CopyOutcome outcome) => outcome switch
    {
        CopyOutcome.AlreadyDelivered => "already delivered",
        CopyOutcome.Duplicate => "duplicate suppressed",
        _ => "delivered",
    };

    private Task<MessageSpool> Spool(Stream content, CancellationToken cancellationToken) =>
        MessageSpool.WriteAsync(content, destination.SpoolDirectory, accountId, cancellationToken);

    /// <summary>Delivers one user's copy and records it; true when it was written now, false when the destination already had it.</summary>
    private async Task<bool> CopyAsync(
        string user, string spec, string key, MessageSpool spool, string recipient, string ledgerKey, string source, CancellationToken cancellationToken)
    {
        DeliveryReceipt receipt;
        try
        {
            var session = await SessionAsync(user, spec, cancellationToken).ConfigureAwait(false);
            await using (var copy = spool.OpenRead())
            {
                receipt = await session.DeliverAsync(key, copy, cancellationToken).ConfigureAwait(false);
            }

            await session.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await destination.Ledger.ReleaseAsync(recipient, ledgerKey, source, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception release) when (release is not OutOfMemoryException)
            {
                // The claim goes stale on its own; the delivery's own error is what the operator needs to see.
            }

            throw;
        }

        await Ledger(() => destination.Ledger.ConfirmAsync(recipient, ledgerKey, source, destination.Clock.GetUtcNow(), destination.Settings.DuplicateWindow, cancellationToken), user).ConfigureAwait(false);
        return !receipt.AlreadyPresent;
    }

    private async Task<IDeliverySession> SessionAsync(string user, string spec, CancellationToken cancellationToken)
    {
        if (!_users.TryGetValue(user, out var session))
        {
            session = await destination.DestinationOf(spec).OpenAsync(MultidropDestination.RecipientScope(scope, user), cancellationToken).ConfigureAwait(false);
            _users[user] = session;
        }

        return session;
    }

    // The recipients' memory failing (its journal, a node unreachable) is a delivery problem: it names the user.
    private async Task<T> Ledger<T>(Func<Task<T>> call, string user)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or DeliveryException))
        {
            throw new DeliveryException($"the duplicate memory of {user}", accountId, "Asking", e);
        }
    }

    private async Task Ledger(Func<Task> call, string user) =>
        await Ledger(async () => { await call().ConfigureAwait(false); return true; }, user).ConfigureAwait(false);
}
