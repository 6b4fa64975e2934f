namespace CollectorCluster.Core.Events;

/// <summary>A session ended cleanly (QUIT +OK).</summary>
public sealed record CollectionCompleted(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int Listed,
    int Collected,
    int Deleted,
    long Bytes,
    IReadOnlyList<string> Warnings) : IAccountEvent;
