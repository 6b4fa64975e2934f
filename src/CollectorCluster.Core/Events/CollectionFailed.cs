namespace CollectorCluster.Core.Events;

/// <summary>A session failed. Messages collected before the failure were recorded individually and stay collected.</summary>
/// <param name="StartedAt">Session start.</param>
/// <param name="FailedAt">When it failed.</param>
/// <param name="Stage">The <see cref="CollectionStage"/> it failed in, as its text (connect, list, retrieve, deliver, record, delete, quit, ...).</param>
/// <param name="Error">What went wrong, with the server's reply text where there was one (never a secret).</param>
/// <param name="Collected">Messages collected before the failure.</param>
/// <param name="Bytes">Bytes collected before the failure.</param>
public sealed record CollectionFailed(DateTimeOffset StartedAt, DateTimeOffset FailedAt, string Stage, string Error, int Collected, long Bytes) : IAccountEvent;
