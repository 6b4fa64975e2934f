namespace CollectorCluster.Actors.Accounts;

/// <summary>A command was accepted.</summary>
public sealed record AccountAck(string AccountId);
