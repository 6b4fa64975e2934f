using System.Text;
using CollectorCluster.Delivery;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// End to end with an LMTP destination: <c>collector once</c> collects from one user over POP3 and delivers into
/// another user's mailbox through Dovecot's LMTP service, each message exactly once.
/// </summary>
public sealed class LmtpDeliveryTests : IAsyncLifetime
{
    private readonly CollectorWorkspace node = new();
    private DovecotServer? server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableLmtp = true }, Ct);

    public async ValueTask DisposeAsync()
    {
        node.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Collector_once_delivers_every_message_through_lmtp_exactly_once()
    {
        var source = await Server.CreateUserAsync("lmtpsrc", Ct);
        var target = await Server.CreateUserAsync("lmtpdst", Ct);
        var messages = MessageFactory.CreateMixedSet(12, 1024, 150 * 1024, seed: 31).ToList();
        messages.Add(new TestMessage("<dots@test>", Encoding.ASCII.GetBytes("Message-ID: <dots@test>\r\nSubject: dots\r\n\r\n.\r\n..\r\n.x\r\n")));
        messages.ForEach(m => Server.DropMessage(source.Name, m));

        node.WriteNodeFile(new AccountSpec("lmtp", source, Server.PlainPort));
        var mailbox = $"lmtp:127.0.0.1:{Server.LmtpPort}?rcpt={target.Name}@example.org";
        File.WriteAllText(node.NodeFile, File.ReadAllText(node.NodeFile).Replace($"maildir:{node.Maildir}", mailbox, StringComparison.Ordinal));

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(messages.Count, first.Collected("lmtp"));
        Assert.Equal(0, Server.CountMessages(source.Name));
        AssertHoldsEachOnce(target.Name, messages);

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, second.Collected("lmtp"));
        AssertHoldsEachOnce(target.Name, messages);
        Assert.Equal(0, node.CountNew());
    }

    [Fact]
    public async Task Each_message_is_recorded_right_after_its_250_so_a_later_refusal_does_not_redeliver_it()
    {
        var source = await Server.CreateUserAsync("lmtpbatch", Ct);
        var target = await Server.CreateUserAsync("lmtpbatchdst", Ct);
        var messages = Enumerable.Range(0, 5).Select(i => MessageFactory.Create(2000 + (i * 500), 400 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(source.Name, m));
        node.WriteNodeFile(new AccountSpec("batch", source, Server.PlainPort));
        var template = File.ReadAllText(node.NodeFile);

        // First session: a server that takes one message, then answers 451 (transient) to the next.
        await using (var flaky = AcceptOnceThenDefer.Start())
        {
            File.WriteAllText(node.NodeFile, template.Replace($"maildir:{node.Maildir}", $"lmtp:127.0.0.1:{flaky.Port}?rcpt=x@example.org", StringComparison.Ordinal));
            var first = await node.RunOnceAsync(Ct);
            Assert.Contains("451 4.2.0 try later", first.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, await flaky.Accepted);
        }

        // Second session: the real LMTP server gets the other four; the one accepted before is not sent again.
        File.WriteAllText(node.NodeFile, template.Replace($"maildir:{node.Maildir}", $"lmtp:127.0.0.1:{Server.LmtpPort}?rcpt={target.Name}@example.org", StringComparison.Ordinal));
        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(4, second.Collected("batch"));
        Assert.Equal(4, Directory.EnumerateFiles(Path.Combine(Server.MaildirPath(target.Name), "new")).Count());
        Assert.Equal(0, Server.CountMessages(source.Name));
    }

    [Fact]
    public async Task A_permanent_refusal_parks_the_account_with_the_destinations_words_and_a_temporary_one_only_backs_off()
    {
        var source = await Server.CreateUserAsync("lmtp5xx", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(2000 + (i * 500), 470 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(source.Name, m));
        node.WriteNodeFile(new AccountSpec("refused", source, Server.PlainPort));
        var template = File.ReadAllText(node.NodeFile);

        // 4xx: a failed session that backs off; the next run tries again (and here succeeds elsewhere).
        await using (var flaky = AcceptOnceThenDefer.Start())
        {
            File.WriteAllText(node.NodeFile, template.Replace($"maildir:{node.Maildir}", $"lmtp:127.0.0.1:{flaky.Port}?rcpt=x@example.org", StringComparison.Ordinal));
            var deferred = await node.RunOnceAsync(Ct);
            Assert.Equal(1, deferred.ExitCode);
            Assert.DoesNotContain("needs operator", deferred.Output, StringComparison.Ordinal);
        }

        // 5xx: the destination will never take it (no such recipient). One attempt, then the account waits for an operator,
        // quoting the destination; the messages stay on the server.
        File.WriteAllText(node.NodeFile, template.Replace($"maildir:{node.Maildir}", $"lmtp:127.0.0.1:{Server.LmtpPort}?rcpt=nobody-here@example.org", StringComparison.Ordinal));
        var refused = await node.RunOnceAsync(Ct);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("550", refused.Output, StringComparison.Ordinal);
        var logins = await Server.CountLoginsAsync(source.Name, Ct);

        var parked = await node.RunOnceAsync(Ct);
        Assert.Equal(1, parked.ExitCode);
        Assert.Contains("needs operator: the destination refused a message for good", parked.Output, StringComparison.Ordinal);
        Assert.Contains("nobody-here@example.org", parked.Output, StringComparison.Ordinal);
        Assert.Equal(logins, await Server.CountLoginsAsync(source.Name, Ct)); // not retried by itself
        Assert.InRange(Server.CountMessages(source.Name), 2, 3); // the refused ones stay on the server
    }

    // Dovecot stores LF line endings and puts its trace headers above ours; the original follows unchanged.
    private void AssertHoldsEachOnce(string user, IReadOnlyList<TestMessage> messages)
    {
        var maildir = Server.MaildirPath(user);
        var stored = new[] { "new", "cur" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(maildir, d)))
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f)))
            .ToList();
        Assert.Equal(messages.Count, stored.Count);
        foreach (var message in messages)
        {
            var original = Encoding.Latin1.GetString(message.Content).Replace("\r\n", "\n", StringComparison.Ordinal);
            var match = Assert.Single(stored, s => s.EndsWith(original, StringComparison.Ordinal));
            var header = match[..^original.Length];
            Assert.Matches($@"\n{DeliveryTrace.HeaderName}: cc\.[0-9a-f]{{32}}\n$", header);
        }

        var ids = stored.Select(s => s.Split('\n').Single(l => l.StartsWith(DeliveryTrace.HeaderName, StringComparison.Ordinal))).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
