namespace CollectorCluster.Actors.Accounts;

/// <summary>What an operator does to one message from the message lines (the seed's "Collector Tasks").</summary>
public enum MarkAction
{
    /// <summary>Collect it again next session.</summary>
    Download,

    /// <summary>Delete it on the server next session.</summary>
    Delete,

    /// <summary>Withdraw a mark before a session acts on it.</summary>
    Clear,
}
