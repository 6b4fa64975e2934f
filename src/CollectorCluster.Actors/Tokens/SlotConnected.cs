namespace CollectorCluster.Actors.Tokens;

/// <summary>The session holding this slot has connected: its half-open (max-connecting) share is free.</summary>
public sealed record SlotConnected(long Ticket);
