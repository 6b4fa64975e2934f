namespace CollectorCluster.Core.Events;

/// <summary>The journalled text of a <see cref="CollectionStage"/>: fixed, since old events and operators' scripts read it.</summary>
public static class CollectionStageText
{
    /// <summary>The stage as <see cref="CollectionFailed.Stage"/> records it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined stage.</exception>
    public static string ToText(this CollectionStage stage) => stage switch
    {
        CollectionStage.Connect => "connect",
        CollectionStage.WaitForOnline => "wait for online",
        CollectionStage.List => "list",
        CollectionStage.Top => "top",
        CollectionStage.Mirror => "mirror",
        CollectionStage.Retrieve => "retrieve",
        CollectionStage.Deliver => "deliver",
        CollectionStage.Record => "record",
        CollectionStage.Delete => "delete",
        CollectionStage.Quit => "quit",
        CollectionStage.Internal => "internal",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown collection stage."),
    };
}
