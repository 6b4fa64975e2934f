using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Sleep;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A shard's alarm on the real journal (SQLite): a sleep is journalled before it
/// is granted, answered for while it lasts, woken and woken again until the account says it is awake, and after a
/// restart the journal brings the sleep back with the wake time it was given.
/// </summary>
public sealed class AccountAlarmTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly StandaloneJournal _journal = new("cc-alarm-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task A_sleep_is_journalled_answered_for_woken_until_the_account_is_awake_and_recovered_after_a_restart()
    {
        var now = DateTimeOffset.UtcNow;
        var wakeAt = now.AddSeconds(1);
        var due = now.AddSeconds(11);
        var status = new AccountStatus("a", "a@pop.example", "maildir:/srv/a", true, true, false, due, null, 0, 3, 300, 0);
        using (var system = Start("before"))
        {
            var accounts = Inbox.Create(system);
            var alarm = system.ActorOf(AccountAlarm.Props("7", accounts.Receiver, TimeProvider.System, wakeRetry: TimeSpan.FromMilliseconds(300)));
            Assert.Equal(new SleepGranted("a", 4), await alarm.Ask<SleepGranted>(new SleepUntil("a", wakeAt, due, status, 4), Wait, Ct));

            // While it sleeps the alarm answers for it, as it fell asleep; an account it does not know is asked itself.
            var asleep = await alarm.Ask<AccountStatus>(new GetSleeperStatus("a"), Wait, Ct);
            Assert.Equal(status with { Sleeping = true }, asleep);
            Assert.Equal(["a"], (await alarm.Ask<Sleepers>(new ListSleepers("7"), Wait, Ct)).AccountIds);
            alarm.Tell(new GetSleeperStatus("b"), accounts.Receiver);

            // Woken at its wake time, and again while it does not say it is awake (a wake lost in a hand-off).
            var seen = ReceiveUntil(accounts, m => m.Count(x => x is WakeAccount) >= 2 && m.Contains(new GetAccountStatus("b")));
            Assert.All(seen.OfType<WakeAccount>(), w => Assert.Equal(new WakeAccount("a", wakeAt, due), w));
            alarm.Tell(new AccountAwake("a"));
            Assert.Empty((await alarm.Ask<Sleepers>(new ListSleepers("7"), Wait, Ct)).AccountIds);
        }

        // An awake account is not journalled (a leftover sleep only wakes it once more): the restarted alarm wakes it
        // with the wake time it was given, so a session that ran since makes the wake stale for the account.
        using (var system = Start("after"))
        {
            var accounts = Inbox.Create(system);
            var alarm = system.ActorOf(AccountAlarm.Props("7", accounts.Receiver, TimeProvider.System, wakeRetry: TimeSpan.FromMinutes(5)));
            Assert.Equal(["a"], (await alarm.Ask<Sleepers>(new ListSleepers("7"), Wait, Ct)).AccountIds);
            alarm.Tell(new GetSleeperStatus("a"), accounts.Receiver); // its status is not journalled: the account answers
            var seen = ReceiveUntil(accounts, m => m.OfType<WakeAccount>().Any() && m.Contains(new GetAccountStatus("a")));
            Assert.Equal(new WakeAccount("a", wakeAt, due), seen.OfType<WakeAccount>().First());
        }
    }

    // What the "account region" received, in order, until `enough` holds (each wait bounded).
    private static List<object> ReceiveUntil(Inbox inbox, Func<List<object>, bool> enough)
    {
        var seen = new List<object>();
        while (!enough(seen))
        {
            seen.Add(inbox.Receive(Wait));
        }

        return seen;
    }

    private ActorSystem Start(string name) => _journal.Start(name);
}
