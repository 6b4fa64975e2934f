using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Smtp;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// SMTP delivery into a real SMTP server: a private OpenSMTPD that relays to the private Dovecot's LMTP, so the
/// message is checked where it finally lands.
/// </summary>
[Collection(typeof(DovecotCollection))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SmtpRelayTests(LmtpDovecotFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Messages_sent_over_smtp_arrive_byte_for_byte_through_a_real_mta()
    {
        var user = await Server.CreateUserAsync("smtp", Ct);
        var messages = new[] { ("S1", DeliveredMail.Tricky(41)), ("S2", MessageFactory.Create(80_000, 42).Content) };
        await using var smtpd = await OpenSmtpdServer.StartAsync(Server.LmtpPort, Ct);
        var destination = new SmtpDestination(SmtpDestinationOptions.FromSpec(
            MailboxSpec.Parse($"smtp:127.0.0.1:{smtpd.Port}?rcpt={user.Name}@example.org&from=collector@example.org", "/")));

        await using (var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-smtp"), Ct))
        {
            foreach (var (uidl, content) in messages)
            {
                var receipt = await session.DeliverAsync(uidl, new MemoryStream(content), Ct);
                Assert.Equal(content.Length, receipt.Bytes);
            }
        }

        // The MTA queues first and relays on its own schedule: wait for the mailbox to fill (a probe, not a sleep).
        var stored = await WaitForMessagesAsync(user.Name, messages.Length, smtpd);
        foreach (var (uidl, content) in messages)
        {
            Assert.True(
                stored.Count(s => DeliveredMail.EndsWith(s, DeliveredMail.ExpectedTail("acct-smtp", uidl, content))) == 1,
                $"{uidl} not stored unchanged once; stored:\n{string.Join("\n----\n", stored.Select(s => System.Text.Encoding.Latin1.GetString(s[..Math.Min(s.Length, 1500)])))}");
        }
    }

    [Fact]
    public async Task A_recipient_the_mta_will_not_relay_for_is_a_permanent_refusal_with_its_reply()
    {
        await using var smtpd = await OpenSmtpdServer.StartAsync(Server.LmtpPort, Ct);
        var destination = new SmtpDestination(SmtpDestinationOptions.FromSpec(
            MailboxSpec.Parse($"smtp:127.0.0.1:{smtpd.Port}?rcpt=someone@elsewhere.example", "/")));
        await using var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-smtp2"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("S3", new MemoryStream(DeliveredMail.Tricky(43)), Ct));

        Assert.False(e.Transient);
        Assert.Contains("RCPT TO:<someone@elsewhere.example> → 550", e.Reply, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<byte[]>> WaitForMessagesAsync(string user, int count, OpenSmtpdServer smtpd)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var stored = DeliveredMail.Read(Server, user);
            if (stored.Count >= count)
            {
                Assert.Equal(count, stored.Count);
                return stored;
            }

            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"{stored.Count} of {count} message(s) arrived; smtpd said:\n{smtpd.Output}");
            }
        }
    }
}
