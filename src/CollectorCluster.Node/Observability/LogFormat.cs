namespace CollectorCluster.Node.Observability;

/// <summary>How the node writes its log on standard error (<c>collector.log.format</c>).</summary>
public enum LogFormat
{
    /// <summary>One line of text per entry (the default).</summary>
    Text,

    /// <summary>One JSON object per line, with the account, server, stage and outcome as fields where known.</summary>
    Json,
}
