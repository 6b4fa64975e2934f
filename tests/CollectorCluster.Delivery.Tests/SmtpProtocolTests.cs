using CollectorCluster.Core.Delivery;
using System.Text;
using CollectorCluster.Delivery.Smtp;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// The LMTP/SMTP client's dialogue and error paths against a scripted server: what a real server will not do on
/// demand (4xx at a chosen step, per-recipient failures, drops). Timeouts only guard against a hang.
/// </summary>
public sealed class SmtpProtocolTests
{
    private const int Guard = 30_000;

    private static readonly byte[] Message = Encoding.ASCII.GetBytes("Subject: hi\r\n\r\n.dot line\r\nbody\r\n");

    [Fact(Timeout = Guard)]
    public async Task Lmtp_pipelines_the_envelope_reuses_one_connection_with_rset_between_messages_and_quits()
    {
        var payloads = new List<string?>();
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 lmtp ready", "LHLO", "250-lmtp\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");

            // Pipelined: all three commands arrive before any reply is sent.
            await s.ExpectAsync("MAIL FROM:<> BODY=8BITMIME");
            await s.ExpectAsync("RCPT TO:<fred@example.org>");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 go");
            payloads.Add(await s.ReadDataAsync());
            await s.SendAsync("250 2.0.0 <fred@example.org> Saved");

            await s.ExpectAsync("RSET");
            await s.ExpectAsync("MAIL FROM:<> BODY=8BITMIME");
            await s.ExpectAsync("RCPT TO:<fred@example.org>");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 OK\r\n250 OK\r\n250 OK\r\n354 go");
            payloads.Add(await s.ReadDataAsync());
            await s.SendAsync("250 2.0.0 <fred@example.org> Saved");

            await s.ExpectAsync("QUIT");
            await s.SendAsync("221 bye");
            Assert.True(await s.ClosedAsync());
        });

        await using (var session = await Destination(server, "lmtp", "rcpt=fred@example.org").OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken))
        {
            await session.DeliverAsync("U1", new MemoryStream(Message), TestContext.Current.CancellationToken);
            await session.DeliverAsync("U2", new MemoryStream(Message), TestContext.Current.CancellationToken);
        }

        await server.Completion;
        Assert.Equal(1, server.Connections);
        Assert.Equal($"{DeliveryTrace.HeaderName}: {DeliveryTrace.Id("acct", "U1")}\r\nSubject: hi\r\n\r\n..dot line\r\nbody\r\n", payloads[0]);
        Assert.StartsWith($"{DeliveryTrace.HeaderName}: {DeliveryTrace.Id("acct", "U2")}\r\n", payloads[1], StringComparison.Ordinal);
    }

    [Fact(Timeout = Guard)]
    public async Task Smtp_without_pipelining_waits_for_each_reply_and_falls_back_to_helo()
    {
        string? payload = null;
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 old smtp", "EHLO", "502 5.5.1 unrecognised");
            await s.ExpectAsync("HELO ");
            await s.SendAsync("250 hello");
            await s.ExpectAsync("MAIL FROM:<collector@example.org>");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("RCPT TO:<fred@example.org>");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("DATA");
            await s.SendAsync("354 go");
            payload = await s.ReadDataAsync();
            await s.SendAsync("250 queued");
            await s.ExpectAsync("QUIT");
            await s.SendAsync("221 bye");
        });

        await using (var session = await Destination(server, "smtp", "rcpt=fred@example.org&from=collector@example.org").OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken))
        {
            var receipt = await session.DeliverAsync("U1", new MemoryStream(Message), TestContext.Current.CancellationToken);
            Assert.Equal(Message.Length, receipt.Bytes);
        }

        await server.Completion;
        Assert.EndsWith("Subject: hi\r\n\r\n..dot line\r\nbody\r\n", payload, StringComparison.Ordinal);
    }

    [Fact(Timeout = Guard)]
    public async Task A_4xx_to_rcpt_is_transient_sends_no_data_and_the_next_message_starts_with_rset()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "EHLO", "250 smtp");
            await s.ExpectAsync("MAIL FROM:<>");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("RCPT TO:<fred@example.org>");
            await s.SendAsync("451 4.3.0 mailbox temporarily locked");
            await s.ExpectAsync("RSET");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("MAIL FROM:<>");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("RCPT TO:<fred@example.org>");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("DATA");
            await s.SendAsync("354 go");
            Assert.NotNull(await s.ReadDataAsync());
            await s.SendAsync("250 queued");
            await s.ExpectAsync("QUIT");
            await s.SendAsync("221 bye");
        });

        await using (var session = await Destination(server, "smtp", "rcpt=fred@example.org").OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken))
        {
            var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("U1", new MemoryStream(Message), TestContext.Current.CancellationToken));
            Assert.True(e.Transient);
            Assert.Contains("RCPT TO:<fred@example.org> → 451 4.3.0 mailbox temporarily locked", e.Message, StringComparison.Ordinal);
            Assert.Contains("retried next session", e.Message, StringComparison.Ordinal);

            await session.DeliverAsync("U1", new MemoryStream(Message), TestContext.Current.CancellationToken);
        }

        await server.Completion;
        Assert.Equal(1, server.Connections);
    }

    [Fact(Timeout = Guard)]
    public async Task A_5xx_after_the_final_dot_is_permanent_and_carries_the_whole_reply()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "EHLO", "250-smtp\r\n250 PIPELINING");
            await s.ExpectAsync("MAIL");
            await s.ExpectAsync("RCPT");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 ok\r\n250 ok\r\n354 go");
            Assert.NotNull(await s.ReadDataAsync());
            await s.SendAsync("554-5.7.1 message rejected\r\n554 5.7.1 spam score too high");
            await s.ExpectAsync("QUIT");
            await s.SendAsync("221 bye");
        });

        var e = await RefusedAsync(server, "smtp", "rcpt=fred@example.org", TestContext.Current.CancellationToken);
        Assert.False(e.Transient);
        Assert.Equal("554 5.7.1 message rejected / 5.7.1 spam score too high", e.Reply);
        Assert.Contains("permanent", e.Message, StringComparison.Ordinal);

        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task Lmtp_reads_one_reply_per_recipient_and_reports_a_partial_delivery()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "LHLO", "250-lmtp\r\n250 PIPELINING");
            await s.ExpectAsync("MAIL");
            await s.ExpectAsync("RCPT TO:<a@example.org>");
            await s.ExpectAsync("RCPT TO:<b@example.org>");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 ok\r\n250 ok\r\n250 ok\r\n354 go");
            Assert.NotNull(await s.ReadDataAsync());
            await s.SendAsync("250 2.0.0 <a@example.org> Saved\r\n452 4.2.2 <b@example.org> Quota exceeded");
            await s.ExpectAsync("QUIT");
            await s.SendAsync("221 bye");
        });

        var e = await RefusedAsync(server, "lmtp", "rcpt=a@example.org,b@example.org", TestContext.Current.CancellationToken);
        Assert.True(e.Transient);
        Assert.Contains("accepted for 1 of 2 recipient(s)", e.Reply, StringComparison.Ordinal);
        Assert.Contains("452 4.2.2 <b@example.org> Quota exceeded", e.Reply, StringComparison.Ordinal);

        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task A_pipelined_rcpt_refusal_after_which_the_server_still_opens_data_drops_the_link_without_a_payload()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "LHLO", "250-lmtp\r\n250 PIPELINING");
            await s.ExpectAsync("MAIL");
            await s.ExpectAsync("RCPT");
            await s.ExpectAsync("RCPT");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n354 go");
            Assert.True(await s.ClosedAsync());
        });

        var e = await RefusedAsync(server, "lmtp", "rcpt=a@example.org,b@example.org", TestContext.Current.CancellationToken);
        Assert.False(e.Transient);
        Assert.Contains("550 5.1.1 no such user", e.Reply, StringComparison.Ordinal);

        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task A_transient_greeting_is_a_transient_refusal()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.SendAsync("421 4.3.2 too busy, try later");
            Assert.True(await s.ClosedAsync());
        });

        var e = await RefusedAsync(server, "lmtp", "rcpt=fred@example.org", TestContext.Current.CancellationToken);

        Assert.True(e.Transient);
        Assert.Contains("421 4.3.2 too busy, try later", e.Message, StringComparison.Ordinal);
        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task Starttls_required_but_not_advertised_fails_before_any_envelope()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "EHLO", "250-smtp\r\n250 PIPELINING");
            Assert.True(await s.ClosedAsync());
        });

        var e = await RefusedAsync(server, "smtp", "rcpt=fred@example.org&tls=starttls", TestContext.Current.CancellationToken);

        Assert.False(e.Transient);
        Assert.Contains("does not advertise STARTTLS", e.Message, StringComparison.Ordinal);
        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task A_server_dropping_mid_data_is_a_delivery_error()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "LHLO", "250 lmtp");
            await s.ExpectAsync("MAIL");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("RCPT");
            await s.SendAsync("250 ok");
            await s.ExpectAsync("DATA");
            await s.SendAsync("354 go");
            await s.ExpectAsync(DeliveryTrace.HeaderName);
            s.Drop();
        });

        await using var session = await Destination(server, "lmtp", "rcpt=fred@example.org").OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<DeliveryException>(() => session.DeliverAsync("U1", new GeneratedStream(32L * 1024 * 1024), TestContext.Current.CancellationToken));

        Assert.Contains($"lmtp:127.0.0.1:{server.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("'acct'", e.Message, StringComparison.Ordinal);
        await server.Completion;
    }

    [Fact(Timeout = Guard)]
    public async Task A_source_failing_mid_message_closes_the_link_without_the_final_dot()
    {
        await using var server = ScriptedSmtpServer.Start(async (s, _) =>
        {
            await s.GreetAsync("220 ready", "LHLO", "250-lmtp\r\n250 PIPELINING");
            await s.ExpectAsync("MAIL");
            await s.ExpectAsync("RCPT");
            await s.ExpectAsync("DATA");
            await s.SendAsync("250 ok\r\n250 ok\r\n354 go");
            Assert.Null(await s.ReadDataAsync());
        });

        await using var session = await Destination(server, "lmtp", "rcpt=fred@example.org").OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken);
        var failure = new IOException("POP3 connection dropped");
        Assert.Same(failure, await Assert.ThrowsAsync<IOException>(() => session.DeliverAsync("U1", new FailingStream(100_000, failure), TestContext.Current.CancellationToken)));

        await server.Completion;
    }

    [Fact]
    public async Task A_refused_connection_is_a_delivery_error_naming_the_destination()
    {
        var port = PortAllocator.Reserve();
        var destination = new SmtpDestination(SmtpDestinationOptions.FromSpec(MailboxSpec.Parse($"lmtp:127.0.0.1:{port}?rcpt=fred@example.org", "/")));
        await using var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct"), TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<DeliveryException>(() => session.DeliverAsync("U1", new MemoryStream(Message), TestContext.Current.CancellationToken));

        Assert.Contains($"lmtp:127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Delivers one message through a session to the scripted server and returns the refusal it ends in; the session is closed before returning.</summary>
    private static async Task<DeliveryRefusedException> RefusedAsync(ScriptedSmtpServer server, string scheme, string query, CancellationToken cancellationToken)
    {
        await using var session = await Destination(server, scheme, query).OpenAsync(MailboxScope.AccountOnly("acct"), cancellationToken);
        return await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("U1", new MemoryStream(Message), cancellationToken));
    }

    private static SmtpDestination Destination(ScriptedSmtpServer server, string scheme, string query) =>
        new(SmtpDestinationOptions.FromSpec(MailboxSpec.Parse($"{scheme}:127.0.0.1:{server.Port}?{query}", "/")));
}
