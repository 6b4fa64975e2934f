using CollectorCluster.Testing;

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
