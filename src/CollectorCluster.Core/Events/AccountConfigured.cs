namespace CollectorCluster.Core.Events;

/// <summary>The account's non-secret configuration as it was applied; recorded when it first appears or changes.</summary>
/// <param name="Address">account@server.</param>
/// <param name="Mailbox">Destination spec.</param>
/// <param name="LeaveMailOnServer">Leave-on-server at the time.</param>
/// <param name="At">When it was applied.</param>
public sealed record AccountConfigured(string Address, string Mailbox, bool LeaveMailOnServer, DateTimeOffset At) : IAccountEvent;
