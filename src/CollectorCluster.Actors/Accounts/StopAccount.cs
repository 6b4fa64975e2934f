namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Sharding's hand-off message: the account finishes the message in flight, records it, commits with QUIT and
/// stops, instead of being killed mid-RETR.
/// </summary>
public sealed class StopAccount
{
    /// <summary>The one instance.</summary>
    public static readonly StopAccount Instance = new();

    private StopAccount()
    {
    }
}
