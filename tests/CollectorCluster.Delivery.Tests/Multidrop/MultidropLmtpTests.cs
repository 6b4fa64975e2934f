using CollectorCluster.Core.Routing;
using CollectorCluster.Delivery.Multidrop;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests.Multidrop;

/// <summary>A domain mailbox fanned out over LMTP into a real Dovecot: each user one copy, the unknown one to the default.</summary>
[Collection(typeof(DovecotCollection))]
public sealed class MultidropLmtpTests(LmtpDovecotFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Copies_with_and_without_envelope_reach_each_dovecot_user_exactly_once()
    {
        var users = new Dictionary<string, TestMailUser>();
        foreach (var name in new[] { "ann", "bob", "carl", "postmaster" })
        {
            users[name] = await Server.CreateUserAsync("md" + name, Ct);
        }

        var ledger = new InMemoryDuplicateLedger(new FixedTimeProvider(Now));
        var journal = new RecordingJournal();
        var settings = new MultidropSettings
        {
            LocalDomains = ["example.com"],
            Default = "postmaster",
            Destinations = users.ToDictionary(u => u.Key, u => $"lmtp:{Server.Host}:{Server.LmtpPort}?rcpt={u.Value.Name}@example.com"),
        };
        var destination = new MultidropDestination(settings, spec => MessageDestinations.Create(MailboxSpec.Parse(spec, "/")), ledger, journal, new FixedTimeProvider(Now), _dir.Path);

        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            // The ISP's copies, one per envelope recipient (ann To, bob Cc, carl Bcc, zed Cc unknown) ...
            foreach (var (uidl, envelope) in new[] { ("U1", "ann@example.com"), ("U2", "bob@example.com"), ("U3", "carl@example.com"), ("U4", "zed@example.com") })
            {
                await session.DeliverAsync(uidl, new MemoryStream(DomainMail.Copy(envelope)), Ct);
            }

            // ... and the same message once more without an envelope header: everyone already has it.
            var again = await session.DeliverAsync("U5", new MemoryStream(DomainMail.Copy(null)), Ct);
            Assert.True(again.AlreadyPresent);
        }

        foreach (var (name, user) in users)
        {
            var stored = Assert.Single(DeliveredMail.Read(Server, user.Name));
            var text = System.Text.Encoding.Latin1.GetString(stored);
            Assert.Contains("Message-ID: <m1@sender.example>", text, StringComparison.Ordinal);
            Assert.Contains($"{DeliveryTrace.HeaderName}: {DeliveryTrace.Id(MultidropDestination.RecipientScope(DomainMail.Scope("domain"), name).NameSeed, name switch { "ann" => "U1", "bob" => "U2", "carl" => "U3", _ => "U4" })}", text, StringComparison.Ordinal);
        }

        Assert.Equal(3, journal.Routed[4].Copies.Count(c => c.Outcome == CopyOutcome.Duplicate));
    }
}
