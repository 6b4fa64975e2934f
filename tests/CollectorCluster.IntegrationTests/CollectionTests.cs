using CollectorCluster.Testing;
using CollectorCluster.Testing.Faults;

namespace CollectorCluster.IntegrationTests;

/// <summary>First and repeated collections, with and without leave-mail-on-server, against the real Dovecot.</summary>
public sealed class CollectionTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task First_collection_delivers_every_message_byte_for_byte_and_a_second_run_collects_nothing()
    {
        var user = await Server.CreateUserAsync("first", Ct);
        var messages = MessageFactory.CreateMixedSet(30, 1024, 200 * 1024, seed: 7).ToList();
        foreach (var message in messages)
        {
            Server.DropMessage(user.Name, message);
        }

        node.WriteNodeFile(new AccountSpec("first", user, Server.PlainPort));

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(30, first.Collected("first"));
        Assert.Equal(30, node.CountNew());
        node.AssertHoldsExactly(messages);
        Assert.Equal(0, Server.CountMessages(user.Name));

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, second.Collected("first"));
        Assert.Contains("collected 0", second.Output, StringComparison.Ordinal);
        Assert.Equal(30, node.DeliveredFiles().Count);
        node.AssertHoldsExactly(messages);
    }

    [Fact]
    public async Task Leave_mail_on_server_keeps_everything_and_later_runs_collect_only_new_uidls()
    {
        var user = await Server.CreateUserAsync("leave", Ct);
        var messages = Enumerable.Range(0, 10).Select(i => MessageFactory.Create(2000 + (i * 1500), 100 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        node.WriteNodeFile(new AccountSpec("leave", user, Server.PlainPort) { LeaveMailOnServer = true });

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(10, first.Collected("leave"));
        Assert.Equal(10, Server.CountMessages(user.Name));
        node.AssertHoldsExactly(messages);

        var later = Enumerable.Range(0, 5).Select(i => MessageFactory.Create(3000 + (i * 700), 200 + i)).ToList();
        later.ForEach(m => Server.DropMessage(user.Name, m));

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(5, second.Collected("leave"));
        Assert.Equal(15, Server.CountMessages(user.Name));
        node.AssertHoldsExactly([.. messages, .. later]);

        var third = await node.RunOnceAsync(Ct);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(0, third.Collected("leave"));
        Assert.Equal(15, Server.CountMessages(user.Name));
        node.AssertHoldsExactly([.. messages, .. later]);
    }

    [Fact]
    public async Task A_small_mailbox_dovecot_renumbers_is_re_keyed_not_delivered_again_and_deleted_only_once_proved()
    {
        // Finding 3 of the fault campaign: with fewer than five messages collected a renumbering (new UIDVALIDITY,
        // every UIDL changed) was never taken for one, and every collected message was delivered again.
        var user = await Server.CreateUserAsync("renumbered", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1800 + (i * 650), 400 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        node.WriteNodeFile(new AccountSpec("renumbered", user, Server.PlainPort) { LeaveMailOnServer = true });
        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(3, first.Collected("renumbered"));

        var settle = TimeSpan.FromMinutes(2);
        Assert.True(await DovecotSessions.WaitForSessionsToEndAsync(Server, user.Name, settle, Ct));
        var before = await DovecotSessions.UidlsAsync(Server, user, Ct);
        Assert.True(await DovecotSessions.WaitForSessionsToEndAsync(Server, user.Name, settle, Ct));
        DovecotSessions.Renumber(Server, user.Name);
        var later = MessageFactory.Create(2900, 410);
        Server.DropMessage(user.Name, later);
        var after = await DovecotSessions.UidlsAsync(Server, user, Ct);
        Assert.Empty(before.Intersect(after, StringComparer.Ordinal)); // every UIDL changed
        Assert.True(await DovecotSessions.WaitForSessionsToEndAsync(Server, user.Name, settle, Ct));

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(1, second.Collected("renumbered"));
        node.AssertHoldsExactly([.. messages, later]);

        // Delete mode now: the three re-keyed ones go only after their content proved them the very messages delivered.
        node.WriteNodeFile(new AccountSpec("renumbered", user, Server.PlainPort) { LeaveMailOnServer = false });
        var third = await node.RunOnceAsync(Ct);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(0, third.Collected("renumbered"));
        Assert.Equal(0, Server.CountMessages(user.Name));
        node.AssertHoldsExactly([.. messages, later]);
    }

    [Fact]
    public async Task Without_leave_mail_on_server_the_quit_commits_the_deletions_and_the_next_run_is_clean()
    {
        var user = await Server.CreateUserAsync("delete", Ct);
        var messages = Enumerable.Range(0, 10).Select(i => MessageFactory.Create(1500 + (i * 900), 300 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        node.WriteNodeFile(new AccountSpec("delete", user, Server.PlainPort) { LeaveMailOnServer = false });

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(10, first.Collected("delete"));
        Assert.Contains("deleted 10", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, Server.CountMessages(user.Name));
        node.AssertHoldsExactly(messages);

        var later = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(4000 + i, 400 + i)).ToList();
        later.ForEach(m => Server.DropMessage(user.Name, m));

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(3, second.Collected("delete"));
        Assert.Equal(0, Server.CountMessages(user.Name));
        node.AssertHoldsExactly([.. messages, .. later]);

        var third = await node.RunOnceAsync(Ct);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(0, third.Collected("delete"));
        Assert.Contains("deleted 0", third.Output, StringComparison.Ordinal);
        node.AssertHoldsExactly([.. messages, .. later]);
    }

    public void Dispose() => node.Dispose();
}
