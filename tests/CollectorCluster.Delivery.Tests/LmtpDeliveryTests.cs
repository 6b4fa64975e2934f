using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Smtp;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>LMTP delivery into a real Dovecot LMTP server (dovecot-lmtpd) and what lands in the user's Maildir.</summary>
[Collection(typeof(DovecotCollection))]
public sealed class LmtpDeliveryTests(LmtpDovecotFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Delivers_every_message_of_a_session_over_one_connection_byte_for_byte()
    {
        var user = await Server.CreateUserAsync("lmtp", Ct);
        var messages = new List<(string Uidl, byte[] Content)>
        {
            ("U1", DeliveredMail.Tricky(1)),
            ("U2", MessageFactory.Create(50_000, 2).Content),
            ("U3", DeliveredMail.Tricky(3)),
            ("U4", MessageFactory.Create(300_000, 4).Content),
        };
        var destination = Destination($"rcpt={user.Name}@example.org");

        await using (var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-1"), Ct))
        {
            foreach (var (uidl, content) in messages)
            {
                var receipt = await session.DeliverAsync(uidl, new MemoryStream(content), Ct);
                Assert.Equal(uidl, receipt.Key);
                Assert.Equal(content.Length, receipt.Bytes);
                Assert.False(receipt.AlreadyPresent);
            }

            await session.FlushAsync(Ct);
        }

        var stored = DeliveredMail.Read(Server, user.Name);
        Assert.Equal(messages.Count, stored.Count);
        foreach (var (uidl, content) in messages)
        {
            var tail = DeliveredMail.ExpectedTail("acct-1", uidl, content);
            Assert.Single(stored, s => DeliveredMail.EndsWith(s, tail));
        }

        Assert.All(stored, s => Assert.Contains("Delivered-To: ", System.Text.Encoding.Latin1.GetString(s), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_without_uidl_gets_a_content_key_and_no_trace_header()
    {
        var user = await Server.CreateUserAsync("lmtpnouidl", Ct);
        var content = DeliveredMail.Tricky(9);

        await using (var session = await Destination($"rcpt={user.Name}@example.org").OpenAsync(MailboxScope.AccountOnly("acct-2"), Ct))
        {
            var receipt = await session.DeliverAsync(null, new MemoryStream(content), Ct);
            Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), receipt.Key);
        }

        var stored = Assert.Single(DeliveredMail.Read(Server, user.Name));
        Assert.True(DeliveredMail.EndsWith(stored, DeliveredMail.ExpectedTail("acct-2", null, content)));
        Assert.DoesNotContain(DeliveryTrace.HeaderName, System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_recipients_each_get_the_message()
    {
        var a = await Server.CreateUserAsync("lmtpa", Ct);
        var b = await Server.CreateUserAsync("lmtpb", Ct);
        var content = MessageFactory.Create(4000, 11).Content;

        await using (var session = await Destination($"rcpt={a.Name}@example.org,{b.Name}@example.org").OpenAsync(MailboxScope.AccountOnly("acct-3"), Ct))
        {
            await session.DeliverAsync("X1", new MemoryStream(content), Ct);
        }

        var tail = DeliveredMail.ExpectedTail("acct-3", "X1", content);
        Assert.True(DeliveredMail.EndsWith(Assert.Single(DeliveredMail.Read(Server, a.Name)), tail));
        Assert.True(DeliveredMail.EndsWith(Assert.Single(DeliveredMail.Read(Server, b.Name)), tail));
    }

    [Fact]
    public async Task An_unknown_recipient_is_a_permanent_refusal_with_the_servers_reply_and_the_session_goes_on()
    {
        var user = await Server.CreateUserAsync("lmtpok", Ct);
        await using var bad = await Destination("rcpt=nobody-here@example.org").OpenAsync(MailboxScope.AccountOnly("acct-4"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => bad.DeliverAsync("N1", new MemoryStream(DeliveredMail.Tricky(4)), Ct));

        Assert.False(e.Transient);
        Assert.Contains("RCPT TO:<nobody-here@example.org>", e.Message, StringComparison.Ordinal);
        Assert.Contains("550", e.Reply, StringComparison.Ordinal);
        Assert.Contains("permanent", e.Message, StringComparison.Ordinal);
        Assert.Empty(DeliveredMail.Read(Server, user.Name));
    }

    [Fact]
    public async Task A_source_failing_mid_message_delivers_nothing_and_the_next_message_goes_through()
    {
        var user = await Server.CreateUserAsync("lmtpfail", Ct);
        var content = MessageFactory.Create(20_000, 5).Content;
        await using var session = await Destination($"rcpt={user.Name}@example.org").OpenAsync(MailboxScope.AccountOnly("acct-5"), Ct);

        var failure = new IOException("POP3 connection dropped");
        var thrown = await Assert.ThrowsAsync<IOException>(() => session.DeliverAsync("F1", new FailingStream(10_000, failure), Ct));
        Assert.Same(failure, thrown);

        await session.DeliverAsync("F2", new MemoryStream(content), Ct);
        var stored = Assert.Single(DeliveredMail.Read(Server, user.Name));
        Assert.True(DeliveredMail.EndsWith(stored, DeliveredMail.ExpectedTail("acct-5", "F2", content)));
    }

    [Fact]
    public async Task Starttls_upgrades_the_connection_verifying_the_certificate()
    {
        var user = await Server.CreateUserAsync("lmtptls", Ct);
        var content = MessageFactory.Create(3000, 6).Content;
        var expected = Server.Certificate.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var seen = 0;
        var destination = new SmtpDestination(
            Options($"rcpt={user.Name}@example.org&tls=starttls"),
            (_, certificate, _, _) =>
            {
                Interlocked.Increment(ref seen);
                return certificate is not null && new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate)
                    .GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == expected;
            });

        await using (var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-6"), Ct))
        {
            await session.DeliverAsync("T1", new MemoryStream(content), Ct);
        }

        Assert.Equal(1, seen);
        Assert.True(DeliveredMail.EndsWith(Assert.Single(DeliveredMail.Read(Server, user.Name)), DeliveredMail.ExpectedTail("acct-6", "T1", content)));
    }

    [Fact]
    public async Task Starttls_with_an_untrusted_certificate_fails_before_any_mail_is_sent()
    {
        var user = await Server.CreateUserAsync("lmtpuntrusted", Ct);
        await using var session = await Destination($"rcpt={user.Name}@example.org&tls=starttls").OpenAsync(MailboxScope.AccountOnly("acct-7"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryException>(() => session.DeliverAsync("T2", new MemoryStream(DeliveredMail.Tricky(7)), Ct));

        Assert.Contains("lmtp:127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Empty(DeliveredMail.Read(Server, user.Name));
    }

    private SmtpDestinationOptions Options(string query) =>
        SmtpDestinationOptions.FromSpec(MailboxSpec.Parse($"lmtp:127.0.0.1:{Server.LmtpPort}?{query}", "/"));

    private SmtpDestination Destination(string query) => new(Options(query));
}
