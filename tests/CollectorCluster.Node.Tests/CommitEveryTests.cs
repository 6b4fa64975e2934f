using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>commit-every on a real node and a real Dovecot: QUIT and reconnect every N messages in delete mode.</summary>
public sealed class CommitEveryTests(DovecotFixture fixture) : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-commit-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Thirty_messages_in_chunks_of_ten_are_three_sessions_each_deleting_ten_once()
    {
        var user = await fixture.Server.CreateUserAsync("chunks", Ct);
        var messages = Enumerable.Range(0, 30).Select(i => MessageFactory.Create(1000 + (i * 37), 1300 + i)).ToList();
        messages.ForEach(m => fixture.Server.DropMessage(user.Name, m));
        var options = Options(user, fixture.Server.PlainPort);

        await using var node = await NodeScenario.StartAsync(options, Ct);
        var result = await CollectAsync(node, options);
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal((30, 30), (result.Collected, result.Deleted));
        Assert.Equal(0, fixture.Server.CountMessages(user.Name));
        Assert.Equal(30, _scenario.NewFiles().Length);

        // Dovecot saw three sessions, each committing ten deletions (del=deleted/listed at logout).
        Assert.Equal(3, await fixture.Server.CountLoginsAsync(user.Name, Ct));
        Assert.Equal(["del=10/30", "del=10/20", "del=10/10"], await LogoutsAsync(user.Name, 3));

        // The journal holds each deletion exactly once.
        var deleted = await DeletedUidlsAsync(user.Name);
        Assert.Equal(30, deleted.Count);
        Assert.Equal(30, deleted.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_link_dropped_in_chunk_three_keeps_the_deletions_of_chunks_one_and_two()
    {
        var user = await fixture.Server.CreateUserAsync("dropped", Ct);
        var messages = Enumerable.Range(0, 30).Select(i => MessageFactory.Create(1000 + (i * 41), 1400 + i)).ToList();
        messages.ForEach(m => fixture.Server.DropMessage(user.Name, m));

        await using (var proxy = new LinkDropProxy(fixture.Server.PlainPort, dropConnection: 3))
        {
            var options = Options(user, proxy.Port);
            await using var node = await NodeScenario.StartAsync(options, Ct);
            var result = await CollectAsync(node, options);
            Assert.False(result.Succeeded);
            Assert.Equal(20, result.Collected);
            Assert.Contains("20 deletion(s) committed by earlier commit-every chunks are kept", result.Detail, StringComparison.Ordinal);
            Assert.Equal(3, proxy.Connections);
        }

        Assert.Equal(10, fixture.Server.CountMessages(user.Name));
        Assert.Equal(20, (await DeletedUidlsAsync(user.Name)).Distinct(StringComparer.Ordinal).Count());

        // The next run collects the rest; every message is in the Maildir once and deleted on the server once.
        var direct = Options(user, fixture.Server.PlainPort);
        await using (var node = await NodeScenario.StartAsync(direct, Ct))
        {
            var again = await CollectAsync(node, direct);
            Assert.True(again.Succeeded, again.Detail);
            Assert.Equal((10, 10), (again.Collected, again.Deleted));
        }

        Assert.Equal(0, fixture.Server.CountMessages(user.Name));
        Assert.Equal(30, _scenario.NewFiles().Length);
        var deleted = await DeletedUidlsAsync(user.Name);
        Assert.Equal(30, deleted.Count);
        Assert.Equal(30, deleted.Distinct(StringComparer.Ordinal).Count());
    }

    public void Dispose() => _scenario.Dispose();

    private CollectorOptions Options(TestMailUser user, int port)
    {
        _scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, "download-smallest-first = off\n    commit-every { messages = 10 }", port: port));
        return _scenario.Load();
    }

    private static Task<CollectionResult> CollectAsync(CollectorNode node, CollectorOptions options) => NodeScenario.CollectAsync(node, options.Accounts[0], Ct);

    private async Task<List<string>> LogoutsAsync(string userName, int expected)
    {
        await fixture.Server.WaitForLogLinesAsync($"pop3({userName})", expected, cancellationToken: Ct);
        var log = await fixture.Server.ReadLogAsync(Ct);
        return log.Split('\n')
            .Where(l => l.Contains($"pop3({userName})", StringComparison.Ordinal) && l.Contains("Logged out", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("del=", StringComparison.Ordinal)..].Split(',')[0])
            .ToList();
    }

    /// <summary>Every UIDL in the journal's MessagesDeletedOnServer events, in order.</summary>
    private async Task<List<string>> DeletedUidlsAsync(string accountId)
    {
        var found = new List<string>();
        foreach (var payload in await _scenario.JournalAsync(accountId, "MessagesDeletedOnServer.v1", Ct))
        {
            using var json = System.Text.Json.JsonDocument.Parse(payload);
            found.AddRange(json.RootElement.GetProperty("uidls").EnumerateArray().Select(u => u.GetString()!));
        }

        return found;
    }
}
