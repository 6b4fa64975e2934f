using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A message delivered just before a crash, before the journal recorded it, is recognised by its deterministic
/// Maildir name on the next run instead of being delivered twice.
/// </summary>
public sealed class CrashRecoveryTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Message_delivered_before_the_journal_write_is_not_delivered_again(bool leaveOnServer)
    {
        var user = await Server.CreateUserAsync("predelivered", Ct);
        var messages = Enumerable.Range(0, 5).Select(i => MessageFactory.Create(2500 + (i * 1200), 800 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        var listing = await RawPop3.ListAsync(Server.Host, Server.PlainPort, user.Name, user.Password, Ct);
        Assert.Equal(5, listing.Count);

        // What the collector did before "crashing": message 3 delivered under its account+mailbox+UIDL name, nothing journaled.
        const string accountId = "crashy";
        var third = listing.Single(l => l.Number == 3);
        var destination = new MaildirDestination(node.Maildir);
        var scope = new MailboxScope(accountId, new MailboxIdentity(Server.Host, user.Name));
        await using (var delivery = await destination.OpenAsync(scope, Ct))
        {
            using var content = new MemoryStream(messages[2].Content);
            var receipt = await delivery.DeliverAsync(third.Uidl, content, Ct);
            Assert.False(receipt.AlreadyPresent);
            await delivery.FlushAsync(Ct);
        }

        var predelivered = Assert.Single(node.DeliveredFiles());
        Assert.Equal(MaildirNames.BaseName(scope.NameSeed, third.Uidl), MaildirNames.BaseOf(Path.GetFileName(predelivered)));

        node.WriteNodeFile(new AccountSpec(accountId, user, Server.PlainPort) { LeaveMailOnServer = leaveOnServer });
        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(5, result.Collected(accountId));
        node.AssertHoldsExactly(messages);
        Assert.Equal(leaveOnServer ? 5 : 0, Server.CountMessages(user.Name));

        var again = await node.RunOnceAsync(Ct);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, again.Collected(accountId));
        node.AssertHoldsExactly(messages);
    }

    public void Dispose() => node.Dispose();
}
