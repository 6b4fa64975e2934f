using Akka.Actor;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Core.Routing;
using CollectorCluster.Testing;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A recipient's duplicate memory on the real journal (SQLite): one copy per message whoever asks, a second source
/// waiting for the first, a stale claim given up, memory surviving a restart, expiry, and a bounded journal.
/// </summary>
public sealed class RecipientActorTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly StandaloneJournal _journal = new("cc-recipient-");
    private readonly SteppedClock _clock = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task A_second_source_waits_for_the_first_and_learns_it_has_a_duplicate()
    {
        using var system = Start("wait");
        var ann = system.ActorOf(RecipientActor.Props("ann", _clock));
        Assert.Equal(ClaimAnswer.Granted, (await Claim(ann, "k1", "isp-one/1")).Answer);
        var waiting = Claim(ann, "k1", "isp-two/9");
        var probe = await Claim(ann, "other", "isp-two/10"); // the actor keeps answering others meanwhile
        Assert.Equal(ClaimAnswer.Granted, probe.Answer);
        Assert.False(waiting.IsCompleted);

        await ann.Ask<CopyConfirmed>(new ConfirmCopy("ann", "k1", "isp-one/1", T0, TimeSpan.FromDays(7)), Wait, Ct);
        var answer = await waiting.WaitAsync(Wait, Ct);
        Assert.Equal((ClaimAnswer.Duplicate, "isp-one/1"), (answer.Answer, answer.DeliveredFrom));
        Assert.Equal(ClaimAnswer.AlreadyDelivered, (await Claim(ann, "k1", "isp-one/1")).Answer);
    }

    [Fact]
    public async Task A_released_claim_goes_to_the_waiting_source_and_a_stale_one_to_whoever_asks()
    {
        using var system = Start("release");
        var bob = system.ActorOf(RecipientActor.Props("bob", _clock));
        await Claim(bob, "k1", "a/1");
        var waiting = Claim(bob, "k1", "b/1");
        bob.Tell(new ReleaseCopy("bob", "k1", "a/1"));
        Assert.Equal(ClaimAnswer.Granted, (await waiting.WaitAsync(Wait, Ct)).Answer);

        // b's session dies holding the claim: after the claim timeout another source may deliver.
        _clock.Advance(DuplicateWindow.DefaultClaimTimeout);
        Assert.Equal(ClaimAnswer.Granted, (await Claim(bob, "k1", "c/1")).Answer);
    }

    [Fact]
    public async Task Delivered_copies_survive_a_restart_until_their_window_ends()
    {
        using (var system = Start("before"))
        {
            var carl = system.ActorOf(RecipientActor.Props("carl", _clock));
            await Claim(carl, "k1", "a/1");
            await carl.Ask<CopyConfirmed>(new ConfirmCopy("carl", "k1", "a/1", T0, TimeSpan.FromDays(7)), Wait, Ct);
        }

        using (var system = Start("after"))
        {
            var carl = system.ActorOf(RecipientActor.Props("carl", _clock));
            Assert.Equal(ClaimAnswer.Duplicate, (await Claim(carl, "k1", "b/1")).Answer);
            Assert.Equal(ClaimAnswer.AlreadyDelivered, (await Claim(carl, "k1", "a/1")).Answer);
            _clock.Advance(TimeSpan.FromDays(7));
            Assert.Equal(ClaimAnswer.Granted, (await Claim(carl, "k1", "b/1")).Answer);
        }
    }

    [Fact]
    public async Task A_snapshot_replaces_the_events_before_it_and_recovery_still_remembers()
    {
        const int every = 20;
        const int copies = every + 1;
        using (var system = Start("many"))
        {
            var pm = system.ActorOf(RecipientActor.Props("pm", _clock, snapshotEvery: every));
            for (var i = 0; i < copies; i++)
            {
                await pm.Ask<CopyConfirmed>(new ConfirmCopy("pm", $"k{i}", $"a/{i}", T0, TimeSpan.FromDays(7)), Wait, Ct);
            }

            // The snapshot and the deletion behind it run after the 20th confirmation's answer: wait for them to land.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(Wait);
            while (await LiveEventsAsync("recipient-pm") > 1)
            {
                await Task.Delay(20, limit.Token);
            }
        }

        using (var system = Start("recovered"))
        {
            var pm = system.ActorOf(RecipientActor.Props("pm", _clock));
            Assert.Equal(ClaimAnswer.Duplicate, (await Claim(pm, "k0", "b/0")).Answer);
            Assert.Equal(ClaimAnswer.Duplicate, (await Claim(pm, $"k{copies - 1}", "b/1")).Answer);
        }

        Assert.InRange(await LiveEventsAsync("recipient-pm"), 0, 1);
    }

    private async Task<long> LiveEventsAsync(string persistenceId)
    {
        await using var db = new SqliteConnection(_journal.Options.Journal.ConnectionString);
        await db.OpenAsync(Ct);
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM event_journal WHERE persistence_id = $id AND is_deleted = 0";
        count.Parameters.AddWithValue("$id", persistenceId);
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }

    private ActorSystem Start(string name) => _journal.Start(name);

    private static Task<CopyClaimAnswer> Claim(IActorRef recipient, string key, string source) =>
        recipient.Ask<CopyClaimAnswer>(new ClaimCopy("x", key, source), Wait, Ct);
}
