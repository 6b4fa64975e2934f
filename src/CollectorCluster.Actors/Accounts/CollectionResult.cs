namespace CollectorCluster.Actors.Accounts;

/// <summary>How one session ended.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Address">account@server.</param>
/// <param name="Succeeded">QUIT committed and nothing failed.</param>
/// <param name="Listed">Messages the server listed.</param>
/// <param name="Collected">Messages collected (delivered and recorded).</param>
/// <param name="Deleted">Deletions the server committed.</param>
/// <param name="Bytes">Bytes collected.</param>
/// <param name="Duration">Session wall time.</param>
/// <param name="Detail">The error (failed) or warnings (succeeded); empty when none.</param>
public sealed record CollectionResult(
    string AccountId,
    string Address,
    bool Succeeded,
    int Listed,
    int Collected,
    int Deleted,
    long Bytes,
    TimeSpan Duration,
    string Detail);
