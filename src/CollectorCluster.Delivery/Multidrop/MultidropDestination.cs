using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Delivery.Multidrop;

/// <summary>
/// A multidrop (domain) mailbox's destination: each message is spooled once, its header routed to local users
/// (<see cref="RecipientRouter"/>), and a copy delivered to each user's own destination, unless the user already has the
/// same message (<see cref="IDuplicateLedger"/>, shared by every account). The routing decision is journalled with the
/// message (<see cref="IRoutingJournal"/>), one message per journal write, so a crash mid-fan-out and a new session give
/// every user exactly one copy: copies already in a Maildir are recognised by their per-recipient names, and copies
/// handed to LMTP/SMTP/MDA by the recipient's record of them.
/// </summary>
public sealed class MultidropDestination : IMessageDestination
{
    private readonly Func<string, IMessageDestination> _destinations;

    /// <summary>Creates the destination.</summary>
    /// <param name="settings">The routing; its <see cref="MultidropSettings.Destinations"/> specs are normalised (they name each recipient).</param>
    /// <param name="destinations">Makes a user's destination from its spec (<c>maildir:...</c>, <c>lmtp:...</c>).</param>
    /// <param name="ledger">The recipients' memory of delivered copies.</param>
    /// <param name="journal">The account's journal, for the routing decisions.</param>
    /// <param name="clock">Stamps deliveries and decisions.</param>
    /// <param name="spoolDirectory">Where messages are spooled while they are fanned out; the system temp directory when null.</param>
    public MultidropDestination(
        MultidropSettings settings, Func<string, IMessageDestination> destinations, IDuplicateLedger ledger, IRoutingJournal journal, TimeProvider clock, string? spoolDirectory = null)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _destinations = destinations ?? throw new ArgumentNullException(nameof(destinations));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        Journal = journal ?? throw new ArgumentNullException(nameof(journal));
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        SpoolDirectory = spoolDirectory ?? Path.GetTempPath();
    }

    /// <summary>The routing.</summary>
    public MultidropSettings Settings { get; }

    /// <inheritdoc />
    public string Description => Settings.Describe();

    /// <inheritdoc />
    /// <remarks>One message per journal write: each one's routing is journalled before the next is fanned out.</remarks>
    public int? PreferredBatchMessages => 1;

    internal IDuplicateLedger Ledger { get; }

    internal IRoutingJournal Journal { get; }

    internal TimeProvider Clock { get; }

    internal string SpoolDirectory { get; }

    /// <inheritdoc />
    public Task<IDeliverySession> OpenAsync(MailboxScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Task.FromResult<IDeliverySession>(new MultidropDeliverySession(this, scope));
    }

    /// <summary>
    /// The scope a user's copies are delivered under: the account's, with the user added to the account id. Maildir names
    /// and trace headers derive from it, so each recipient's copy of a message has its own name and a repeated session
    /// recognises it.
    /// </summary>
    public static MailboxScope RecipientScope(MailboxScope scope, string user)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope with { AccountId = $"{scope.AccountId}/{user}" };
    }

    internal IMessageDestination DestinationOf(string spec) => _destinations(spec);
}
