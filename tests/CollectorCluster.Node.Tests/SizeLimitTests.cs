using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>max-message-size on a real node and a real Dovecot: oversize skipped and reported, postponed, or overridden by a Download mark.</summary>
public sealed class SizeLimitTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-size-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Oversize_is_skipped_reported_with_uidl_and_size_left_on_the_server_and_a_download_mark_collects_it()
    {
        var user = await fixture.Server.CreateUserAsync("oversize", Ct);
        var small = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(2000 + i, 1100 + i)).ToList();
        var big = MessageFactory.Create(40_000, 1199);
        fixture.Server.DropMessage(user.Name, small[0]);
        fixture.Server.DropMessage(user.Name, big);
        small.Skip(1).ToList().ForEach(m => fixture.Server.DropMessage(user.Name, m));
        var options = Options(user, "max-message-size = 10k"); // delete mode: collected messages go, the big one stays

        await using var node = await NodeScenario.StartAsync(options, Ct);
        var first = await CollectAsync(node, options);
        Assert.True(first.Succeeded, first.Detail);
        Assert.Equal(3, first.Collected);
        Assert.Equal(3, first.Deleted);
        Assert.Equal(1, fixture.Server.CountMessages(user.Name)); // the oversize message was neither fetched nor deleted

        // Reported: in the session's warnings (status and log) and in the journal, naming UIDL and size.
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(user.Name), AskTimeout, Ct);
        var uidl = UidlFrom(status.LastCollection!.Detail);
        Assert.Contains($"is {big.Size} bytes, over max-message-size 10240 bytes: skipped", status.LastCollection.Detail, StringComparison.Ordinal);
        var report = await JournalAsync(user.Name, "OversizeMessagesReported.v1");
        Assert.Contains($"\"uidl\":\"{uidl}\"", report[^1], StringComparison.Ordinal);
        Assert.Contains($"\"size\":{big.Size}", report[^1], StringComparison.Ordinal);

        // Skipped again next session, still reported.
        var second = await CollectAsync(node, options);
        Assert.Equal((0, 0), (second.Collected, second.Deleted));
        Assert.Equal(1, fixture.Server.CountMessages(user.Name));

        // The operator's Download mark overrides the skip.
        var mark = await node.Accounts.Ask<MarkResult>(new MarkMessage(user.Name, uidl, MarkAction.Download), AskTimeout, Ct);
        Assert.True(mark.Applied, mark.Detail);
        var third = await CollectAsync(node, options);
        Assert.True(third.Succeeded, third.Detail);
        Assert.Equal(1, third.Collected);
        Assert.Equal(0, fixture.Server.CountMessages(user.Name));
        Assert.Equal(4, _scenario.NewFiles().Length);
        Assert.Contains(_scenario.NewFiles(), f => new FileInfo(f).Length == big.Size);
    }

    [Fact]
    public async Task Postponed_oversize_is_fetched_after_the_rest_and_reported()
    {
        var user = await fixture.Server.CreateUserAsync("postpone", Ct);
        var big = MessageFactory.Create(30_000, 1299);
        var small = Enumerable.Range(0, 2).Select(i => MessageFactory.Create(20_000 + i, 1200 + i)).ToList();
        fixture.Server.DropMessage(user.Name, big);
        small.ForEach(m => fixture.Server.DropMessage(user.Name, m));
        // Server order without smallest-first: the big message is number 1, but it comes last.
        var options = Options(user, "max-message-size = 25000, oversize = postpone, download-smallest-first = off, leave-mail-on-server = on");

        await using var node = await NodeScenario.StartAsync(options, Ct);
        var result = await CollectAsync(node, options);
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(3, result.Collected);
        Assert.Contains($"(message 1) is {big.Size} bytes, over max-message-size 25000 bytes: fetched last", result.Detail, StringComparison.Ordinal);

        var collected = await JournalAsync(user.Name, "MessageCollected.v3");
        Assert.Equal(3, collected.Count);
        Assert.Contains($"\"size\":{big.Size}", collected[^1], StringComparison.Ordinal);
    }

    public void Dispose() => _scenario.Dispose();

    private CollectorOptions Options(TestMailUser user, string extra)
    {
        _scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, extra));
        return _scenario.Load();
    }

    private static Task<CollectionResult> CollectAsync(CollectorNode node, CollectorOptions options) => NodeScenario.CollectAsync(node, options.Accounts[0], Ct);

    private static string UidlFrom(string detail)
    {
        const string marker = "UIDL \"";
        var start = detail.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, detail);
        start += marker.Length;
        return detail[start..detail.IndexOf('"', start)];
    }

    private Task<List<string>> JournalAsync(string accountId, string manifest) => _scenario.JournalAsync(accountId, manifest, Ct);
}
