namespace CollectorCluster.Core.Delivery;

/// <summary>Where collected mail goes (Maildir, LMTP, SMTP, a delivery program).</summary>
public interface IMessageDestination
{
    /// <summary>Human-readable destination, e.g. <c>maildir:/srv/mail/fred</c>.</summary>
    string Description { get; }

    /// <summary>
    /// The most messages the collection run should deliver before recording them in the journal, or null for the
    /// run's own batch size. Destinations that cannot recognise an earlier delivery (LMTP, SMTP, a program) ask for
    /// 1, so the window in which a crash can cause a duplicate is a single message.
    /// </summary>
    int? PreferredBatchMessages => null;

    /// <summary>Opens a delivery session for one account's collection session.</summary>
    /// <param name="scope">The account and mailbox: part of every delivery key, so two accounts or mailboxes never collide.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    Task<IDeliverySession> OpenAsync(MailboxScope scope, CancellationToken cancellationToken);
}
