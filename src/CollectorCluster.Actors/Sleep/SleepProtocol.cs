using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Actors.Sleep;

/// <summary>A message for the alarm of an account's shard (<see cref="AccountAlarm"/>), routed there by the account id.</summary>
public interface IAlarmCommand
{
    /// <summary>The account whose shard's alarm handles the message.</summary>
    string AccountId { get; }
}

/// <summary>
/// An idle account asks to sleep: woken at <paramref name="WakeAt"/> for its slot at <paramref name="Due"/>. Answered with
/// <see cref="SleepGranted"/> once the alarm has journalled it; only then does the account stop.
/// </summary>
/// <param name="Status">What the account answers about itself while it sleeps.</param>
/// <param name="Generation">The account's request number, echoed so it can tell a stale grant.</param>
public sealed record SleepUntil(string AccountId, DateTimeOffset WakeAt, DateTimeOffset Due, AccountStatus Status, long Generation) : IAlarmCommand;

/// <summary>The alarm has journalled <see cref="SleepUntil"/>: the account may stop.</summary>
public sealed record SleepGranted(string AccountId, long Generation);

/// <summary>An account's actor started (woken, or by any message): its alarm forgets it (not journalled: a stale entry only wakes it once more).</summary>
public sealed record AccountAwake(string AccountId) : IAlarmCommand;

/// <summary>The status of an account, from its alarm while it sleeps, else from the account itself (the alarm forwards the ask).</summary>
public sealed record GetSleeperStatus(string AccountId) : IAlarmCommand;

/// <summary>
/// The alarm wakes an account: its actor starts and keeps the slot it slept for, unless a session has started since
/// <paramref name="WakeAt"/> (a stale wake, left over in an alarm that restarted: the account's own schedule stands).
/// </summary>
public sealed record WakeAccount(string AccountId, DateTimeOffset WakeAt, DateTimeOffset Due) : IAccountCommand;

/// <summary>The accounts sleeping in one shard (answered with <see cref="Sleepers"/>).</summary>
public sealed record ListSleepers(string ShardId);

/// <summary>The accounts sleeping in a shard.</summary>
public sealed record Sleepers(string ShardId, IReadOnlyList<string> AccountIds);
