namespace CollectorCluster.Core.State;

/// <summary>What an operator asked the next session to do with one listed message; a message has at most one mark.</summary>
public enum MessageMark
{
    /// <summary>Fetch it again, even though it was collected.</summary>
    Download,

    /// <summary>Delete it on the server, even with leave-on-server.</summary>
    Delete,
}
