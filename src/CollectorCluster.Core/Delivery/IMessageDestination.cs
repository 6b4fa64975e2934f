namespace CollectorCluster.Core.Delivery;

/// <summary>Where collected mail goes (Maildir now; LMTP/SMTP/MDA later).</summary>
public interface IMessageDestination
{
    /// <summary>Human-readable destination, e.g. <c>maildir:/srv/mail/fred</c>.</summary>
    string Description { get; }

    /// <summary>Opens a delivery session for one account's collection session.</summary>
    /// <param name="accountId">Part of every delivery key, so two accounts never collide.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    Task<IDeliverySession> OpenAsync(string accountId, CancellationToken cancellationToken);
}
