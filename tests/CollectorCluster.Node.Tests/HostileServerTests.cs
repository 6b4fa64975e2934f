using System.Text;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Testing.Network;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// Issue 12's hostile servers, end to end: a collector node against a POP3 server that generates its attack as it
/// sends it (never holding it). Each session must fail with a clear error naming the server and the limit, nothing
/// may be deleted on the server, what was delivered and recorded stays, and the process's memory stays bounded (the
/// peak is measured and printed). The node runs the shipped limits except the session deadline, test-sized here so
/// the trickling servers end within seconds.
/// </summary>
[Collection(HostileServerCollection.Name)]
public sealed class HostileServerTests : IDisposable
{
    private const long MemoryBound = 100L * 1024 * 1024;

    // Delete mode (nothing left on the server) and one message per batch: message 1 is delivered, recorded and DELE'd
    // before message 2 misbehaves, so the tests see both that it stays recorded and that its DELE is never committed.
    private const string AccountKeys = "leave-mail-on-server = off";
    private const string NodeKeys = "batch-messages = 1\n  pop3.session-deadline { base = 2s, per-message = 500ms, min-throughput = 1k }";

    private readonly NodeScenario _scenario = new("cc-hostile-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(CollectionResult Result, MemoryPeak Memory)> CollectAsync(HostilePop3Server server, bool deletionsExpected = false)
    {
        _scenario.WriteNodeFile(_scenario.Account("hostile", "127.0.0.1", server.Port, "fred", "pw", AccountKeys, checkEvery: "1h"), NodeKeys);
        var (node, options) = await NodeScenario.StartAsync(_scenario.NodeFile, Ct);
        await using var running = node;
        var account = options.Accounts[0];
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), NodeScenario.AskTimeout, Ct);

        var watch = MemoryWatch.Start();
        var result = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), NodeScenario.AskTimeout, Ct);
        var memory = await watch.StopAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"{server.Attack}: {(result.Succeeded ? "ok" : "FAILED")} in {result.Duration.TotalSeconds:0.0} s, {memory}; server sent {server.BytesSent:N0} bytes; {result.Detail}");
        Assert.True(memory.RssGrowth < MemoryBound, $"RSS grew by {memory.RssGrowth:N0} bytes: {memory}");
        if (!deletionsExpected)
        {
            Assert.Empty(server.CommittedDeletions); // nothing deleted on the server
        }

        return (result, memory);
    }

    [Fact]
    public async Task A_uidl_listing_of_ten_million_lines_fails_at_max_listed_messages_without_buffering_it()
    {
        await using var server = new HostilePop3Server(Pop3Attack.UidlListing(10_000_000));
        var (result, _) = await CollectAsync(server);

        Assert.False(result.Succeeded);
        Assert.Contains($"list: 127.0.0.1:{server.Port} listed more than 250,000 messages in its reply to UIDL (collector.pop3.max-listed-messages = 250,000)", result.Detail);
        Assert.True(server.BytesSent < 10_000_000L * 80 / 4, $"the server got {server.BytesSent:N0} bytes out: the listing was read to its end");
        Assert.Empty(await _scenario.JournalAsync("hostile", "MessageCollected.v3", Ct));
    }

    [Fact]
    public async Task A_one_megabyte_uidl_fails_at_max_line_length()
    {
        await using var server = new HostilePop3Server(Pop3Attack.LongUidl(1024 * 1024));
        var (result, _) = await CollectAsync(server);

        Assert.False(result.Succeeded);
        Assert.Contains($"list: 127.0.0.1:{server.Port} sent a line longer than 8,192 bytes in the reply to UIDL (collector.pop3.max-line-length)", result.Detail);
        Assert.Empty(await _scenario.JournalAsync("hostile", "MessageCollected.v3", Ct));
    }

    [Fact]
    public async Task A_body_a_gigabyte_longer_than_listed_is_cut_off_and_not_kept()
    {
        await using var server = new HostilePop3Server(Pop3Attack.BodyBeyondListedSize(1024L * 1024 * 1024));
        var (result, _) = await CollectAsync(server);

        Assert.False(result.Succeeded);
        Assert.Contains($"retrieve: 127.0.0.1:{server.Port} sent more than 1,048,", result.Detail);
        Assert.Contains($"bytes for message 2 (UIDL {server.UidlOf(2)}), listed at ", result.Detail);
        Assert.Contains("nothing of the message is delivered, recorded or deleted", result.Detail);
        Assert.True(server.BytesSent < 64L * 1024 * 1024, $"the server got {server.BytesSent:N0} bytes out");

        // Message 1 was delivered and recorded and stays; nothing of message 2 is in the Maildir, not even in tmp.
        Assert.Equal([server.UidlOf(1)], await CollectedUidlsAsync());
        var files = _scenario.NewFiles();
        Assert.Single(files);
        Assert.Contains("<h1@hostile.test>", await File.ReadAllTextAsync(files[0], Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(_scenario.Maildir, "tmp")));
    }

    [Fact]
    public async Task A_message_larger_than_listed_waits_for_the_operator_naming_it_and_the_way_out()
    {
        // It would stop every session (the same message, the same limit): not "other", backing off forever.
        await using var server = new HostilePop3Server(Pop3Attack.BodyBeyondListedSize(8L * 1024 * 1024));
        _scenario.WriteNodeFile(_scenario.Account("hostile", "127.0.0.1", server.Port, "fred", "pw", AccountKeys, checkEvery: "1h"), NodeKeys);
        var (node, options) = await NodeScenario.StartAsync(_scenario.NodeFile, Ct);
        await using var running = node;
        var account = options.Accounts[0];
        var first = await NodeScenario.CollectAsync(node, account, Ct);
        Assert.False(first.Succeeded);

        var uidl = server.UidlOf(2);
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), NodeScenario.AskTimeout, Ct);
        Assert.Equal(CollectorCluster.Core.Policy.AccountHealth.NeedsOperator, status.Health);
        Assert.Contains($"for message 2 (UIDL {uidl}), listed at ", status.HealthReason, StringComparison.Ordinal);
        Assert.Contains($"`collector mark hostile {uidl} delete --yes` deletes it on the server unread, or raise collector.pop3.body-slack", status.HealthReason, StringComparison.Ordinal);
        Assert.Contains("then `collector resume`", status.HealthReason, StringComparison.Ordinal);
        Assert.StartsWith("needs operator:", (await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), NodeScenario.AskTimeout, Ct)).Detail, StringComparison.Ordinal);

        // The way out: delete it unread, resume; the session then goes past it.
        Assert.True((await node.Accounts.Ask<MarkResult>(new MarkMessage(account.Id, uidl, MarkAction.Delete), NodeScenario.AskTimeout, Ct)).Applied);
        await node.Accounts.Ask<ResumeResult>(new ResumeAccount(account.Id), NodeScenario.AskTimeout, Ct);
        var after = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), NodeScenario.AskTimeout, Ct);
        Assert.True(after.Succeeded, after.Detail);
        Assert.Contains(uidl, server.CommittedDeletions);
        Assert.Single(_scenario.NewFiles()); // message 1 only: message 2 was never delivered
    }

    [Fact]
    public async Task A_server_sending_one_byte_every_five_seconds_is_cut_off_at_the_session_deadline()
    {
        await using var server = new HostilePop3Server(Pop3Attack.TrickleUidl(TimeSpan.FromSeconds(5)));
        var (result, _) = await CollectAsync(server);

        Assert.False(result.Succeeded);
        Assert.Contains($"list: Session deadline reached with 127.0.0.1:{server.Port} during List: waited ", result.Detail);
        Assert.Contains("allowed ", result.Detail);
        Assert.Contains("= base 2 s + ", result.Detail);
        Assert.Empty(await _scenario.JournalAsync("hostile", "MessageCollected.v3", Ct));
    }

    [Fact]
    public async Task A_server_trickling_ten_bytes_a_second_through_retr_is_cut_off_and_what_was_delivered_stays()
    {
        await using var server = new HostilePop3Server(Pop3Attack.TrickleRetr(10, TimeSpan.FromSeconds(1)));
        var (result, _) = await CollectAsync(server);

        Assert.False(result.Succeeded);
        Assert.Contains($"retrieve: Session deadline reached with 127.0.0.1:{server.Port} while retrieving message 2 (UIDL {server.UidlOf(2)}) after ", result.Detail);
        Assert.Equal([server.UidlOf(1)], await CollectedUidlsAsync());
        Assert.Single(_scenario.NewFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_scenario.Maildir, "tmp")));
    }

    [Fact]
    public async Task A_uidl_longer_than_rfc_1939_allows_is_collected_under_its_digest_with_a_warning()
    {
        await using var server = new HostilePop3Server(Pop3Attack.LongUidl(100));
        var (result, _) = await CollectAsync(server, deletionsExpected: true);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(2, result.Collected);
        Assert.Contains($"127.0.0.1:{server.Port} sent 1 UIDL(s) that RFC 1939 does not allow (1 to 70 printable characters)", result.Detail);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(new string('x', 100))));
        Assert.Equal([server.UidlOf(1), digest], await CollectedUidlsAsync());
        Assert.Equal(2, _scenario.NewFiles().Length);

        // Deleted on the server only after both were delivered and recorded (delete mode), by message number.
        Assert.Equal([server.UidlOf(1), server.UidlOf(2)], server.CommittedDeletions);
    }

    private async Task<List<string>> CollectedUidlsAsync() =>
        (await _scenario.JournalAsync("hostile", "MessageCollected.v3", Ct))
        .Select(json => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("uidl").GetString()!)
        .ToList();

    public void Dispose() => _scenario.Dispose();
}
