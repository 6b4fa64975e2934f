using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The seed's "Collector Tasks" and "reset a POP3 collector" end to end, on a real node and a real Dovecot: marks and
/// resets are journalled, acted on by the next session, and the maildir never gets a duplicate.
/// </summary>
public sealed class CollectorTaskTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-tasks-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Download_and_delete_marks_and_a_reset_act_on_the_next_session_without_duplicates()
    {
        var user = await fixture.Server.CreateUserAsync("tasks", Ct);
        foreach (var i in Enumerable.Range(0, 4))
        {
            fixture.Server.DropMessage(user.Name, MessageFactory.Create(1200 + (i * 250), 900 + i));
        }

        var (node, options) = await NodeScenario.StartAsync(_scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, "leave-mail-on-server = on")), Ct);
        await using var running = node;
        var account = options.Accounts[0];
        var id = account.Id;
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);

        var first = await CollectAsync(node.Accounts, id);
        Assert.Equal(4, first.Collected);
        var lines = await LinesAsync(node.Accounts, id);
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.Equal("downloaded", l.State));
        Assert.Equal(4, LocalFiles());

        // Download needs a collected UIDL.
        var refused = await node.Accounts.Ask<MarkResult>(new MarkMessage(id, "no-such-uidl", MarkAction.Download), AskTimeout, Ct);
        Assert.False(refused.Applied);
        Assert.Contains("not been collected", refused.Detail);

        // Mark one for download: the next session collects exactly that one; the maildir recognises its copy.
        var again = lines[0].Uidl;
        Assert.True((await node.Accounts.Ask<MarkResult>(new MarkMessage(id, again, MarkAction.Download), AskTimeout, Ct)).Applied);
        Assert.Equal("marked-download", (await LinesAsync(node.Accounts, id)).Single(l => l.Uidl == again).State);
        var redownload = await CollectAsync(node.Accounts, id);
        Assert.Equal(1, redownload.Collected);
        Assert.Equal(0, redownload.Deleted);
        Assert.Equal(4, LocalFiles());
        Assert.Equal(4, fixture.Server.CountMessages(user.Name));
        Assert.Contains("\"alreadyPresent\":true", await LastCollectedEntryAsync(id));
        Assert.Contains(again, await LastCollectedEntryAsync(id));
        Assert.All(await LinesAsync(node.Accounts, id), l => Assert.Equal("downloaded", l.State));

        // Mark one for deletion: the next session deletes it on the server, although mail is left on the server.
        var doomed = lines[1].Uidl;
        Assert.True((await node.Accounts.Ask<MarkResult>(new MarkMessage(id, doomed, MarkAction.Delete), AskTimeout, Ct)).Applied);
        Assert.Equal("marked-delete", (await LinesAsync(node.Accounts, id)).Single(l => l.Uidl == doomed).State);
        var delete = await CollectAsync(node.Accounts, id);
        Assert.Equal(0, delete.Collected);
        Assert.Equal(1, delete.Deleted);
        Assert.Equal(3, fixture.Server.CountMessages(user.Name));
        var remaining = await LinesAsync(node.Accounts, id);
        Assert.Equal(3, remaining.Count);
        Assert.DoesNotContain(remaining, l => l.Uidl == doomed);

        // Preview, then reset: the three left are forgotten and collected again, without duplicate files.
        var bytes = remaining.Sum(l => l.Size);
        var preview = await node.Accounts.Ask<ResetPreviewResult>(new PreviewReset(id, null), AskTimeout, Ct);
        Assert.Equal(new ResetPreviewResult(id, 3, bytes), preview);
        Assert.Equal(3, (await LinesAsync(node.Accounts, id)).Count); // a preview changes nothing
        var reset = await node.Accounts.Ask<ResetPreviewResult>(new ResetCollector(id, null), AskTimeout, Ct);
        Assert.Equal(preview, reset);
        Assert.Empty(await LinesAsync(node.Accounts, id));
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(id), AskTimeout, Ct);
        Assert.Equal(5, status.TotalCollected); // totals are history: a reset does not rewrite them

        var recollect = await CollectAsync(node.Accounts, id);
        Assert.Equal(3, recollect.Collected);
        Assert.Equal(0, recollect.Deleted);
        Assert.Equal(4, LocalFiles());
        Assert.Equal(3, fixture.Server.CountMessages(user.Name));
        var final = await LinesAsync(node.Accounts, id);
        Assert.Equal(remaining.Select(l => l.Uidl), final.Select(l => l.Uidl));
        Assert.All(final, l => Assert.Equal("downloaded", l.State));
    }

    public void Dispose() => _scenario.Dispose();

    private static async Task<CollectionResult> CollectAsync(IActorRef accounts, string id)
    {
        var result = await accounts.Ask<CollectionResult>(new CollectNow(id), AskTimeout, Ct);
        Assert.True(result.Succeeded, result.Detail);
        return result;
    }

    private static async Task<IReadOnlyList<MessageLine>> LinesAsync(IActorRef accounts, string id) =>
        (await accounts.Ask<MessageLines>(new GetMessageLines(id), AskTimeout, Ct)).Lines;

    private int LocalFiles() => _scenario.DeliveredCount();

    private async Task<string> LastCollectedEntryAsync(string id) => (await _scenario.JournalAsync(id, "MessageCollected.v3", Ct))[^1];
}
