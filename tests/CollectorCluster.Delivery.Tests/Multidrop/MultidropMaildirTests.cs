using System.Text;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Routing;
using CollectorCluster.Delivery.Maildir;
using CollectorCluster.Delivery.Multidrop;

namespace CollectorCluster.Delivery.Tests.Multidrop;

/// <summary>A domain mailbox fanned out into users' Maildirs: one copy each, duplicates suppressed, repeats recognised.</summary>
public sealed class MultidropMaildirTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly InMemoryDuplicateLedger _ledger = new(new FixedTimeProvider(Now));
    private readonly RecordingJournal _journal = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task One_copy_per_envelope_recipient_reaches_each_user_once_and_the_unknown_one_goes_to_the_default()
    {
        var destination = Destination();
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            foreach (var (uidl, envelope) in new[] { ("U1", "ann@example.com"), ("U2", "bob@example.com"), ("U3", "carl@example.com"), ("U4", "zed@example.com") })
            {
                var receipt = await session.DeliverAsync(uidl, new MemoryStream(DomainMail.Copy(envelope)), Ct);
                Assert.False(receipt.AlreadyPresent);
            }
        }

        Assert.Equal([1, 1, 1, 1], Users.Select(u => Files(u).Count));
        Assert.Equal(["ann", "bob", "carl", "postmaster"], _journal.Routed.Select(r => Assert.Single(r.Copies).User));
        Assert.All(_journal.Routed, r => Assert.Equal("Delivered-To", r.Source));
        Assert.Equal(RouteVia.Default, _journal.Routed[3].Copies[0].Via);
        Assert.Equal(DomainMail.Copy("ann@example.com"), File.ReadAllBytes(Files("ann")[0]));
    }

    [Fact]
    public async Task Without_envelope_headers_two_copies_of_one_cc_message_reach_each_user_once()
    {
        var destination = Destination();
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            await session.DeliverAsync("U1", new MemoryStream(DomainMail.Copy(null)), Ct);
            var second = await session.DeliverAsync("U2", new MemoryStream(DomainMail.Copy(null)), Ct);
            Assert.True(second.AlreadyPresent);
        }

        Assert.Equal([1, 1, 0, 1], Users.Select(u => Files(u).Count)); // To ann, Cc bob, zed unknown -> postmaster; carl was Bcc
        var duplicates = _journal.Routed[1].Copies;
        Assert.All(duplicates, c => Assert.Equal(CopyOutcome.Duplicate, c.Outcome));
        Assert.All(duplicates, c => Assert.Equal("domain/U1", c.DeliveredFrom));
        Assert.Equal(RoutingCounts.None with { Messages = 2, Copies = 3, Duplicates = 3, ToDefault = 1 }, _journal.Routed.Aggregate(RoutingCounts.None, (c, r) => c.Add(r)));
    }

    [Fact]
    public async Task The_same_message_from_another_account_is_suppressed_but_a_different_body_is_not()
    {
        var destination = Destination();
        await using (var first = await destination.OpenAsync(DomainMail.Scope("isp-one"), Ct))
        {
            await first.DeliverAsync("A1", new MemoryStream(DomainMail.Copy("ann@example.com")), Ct);
        }

        await using (var second = await destination.OpenAsync(DomainMail.Scope("isp-two"), Ct))
        {
            await second.DeliverAsync("B9", new MemoryStream(DomainMail.Copy("ann@example.com")), Ct);
            await second.DeliverAsync("B10", new MemoryStream(DomainMail.Copy("ann@example.com", body: "Changed body.\r\n")), Ct);
        }

        Assert.Equal(2, Files("ann").Count);
        Assert.Equal([CopyOutcome.Delivered, CopyOutcome.Duplicate, CopyOutcome.Delivered], _journal.Routed.Select(r => r.Copies[0].Outcome));
        Assert.Equal("isp-one/A1", _journal.Routed[1].Copies[0].DeliveredFrom);
    }

    [Fact]
    public async Task A_repeated_session_after_a_lost_confirmation_finds_the_copy_in_the_maildir_and_delivers_the_rest()
    {
        var destination = Destination();
        var message = Encoding.ASCII.GetBytes("Message-ID: <x@y.example>\r\nTo: ann@example.com, bob@example.com, carl@example.com\r\n\r\nbody\r\n");
        _ledger.LoseConfirmationOf.Add(RecipientId.For(Spec("bob")));
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            // ann delivered and confirmed, bob delivered but its record lost: the message fails before carl.
            await Assert.ThrowsAsync<DeliveryException>(() => session.DeliverAsync("U1", new MemoryStream(message), Ct));
        }

        Assert.Equal([1, 1, 0, 0], Users.Select(u => Files(u).Count));
        Assert.Empty(_journal.Routed);

        await using (var again = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            await again.DeliverAsync("U1", new MemoryStream(message), Ct);
        }

        Assert.Equal([1, 1, 1, 0], Users.Select(u => Files(u).Count));
        var routed = Assert.Single(_journal.Routed);
        Assert.Equal([CopyOutcome.AlreadyDelivered, CopyOutcome.AlreadyDelivered, CopyOutcome.Delivered], routed.Copies.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Each_recipient_s_copy_has_its_own_name_derived_from_account_user_and_uidl()
    {
        var destination = Destination();
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            await session.DeliverAsync("U1", new MemoryStream(DomainMail.Copy(null)), Ct);
        }

        Assert.Equal(MaildirNames.BaseName(MultidropDestination.RecipientScope(DomainMail.Scope("domain"), "ann").NameSeed, "U1"), Path.GetFileName(Files("ann")[0]));
        Assert.Equal(MaildirNames.BaseName(MultidropDestination.RecipientScope(DomainMail.Scope("domain"), "bob").NameSeed, "U1"), Path.GetFileName(Files("bob")[0]));
    }

    [Fact]
    public async Task A_message_for_nobody_local_is_refused_before_anything_is_delivered()
    {
        var destination = Destination(withDefault: false);
        await using var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct);
        var refused = await Assert.ThrowsAsync<DeliveryRefusedException>(
            () => session.DeliverAsync("U1", new MemoryStream("To: list@lists.example\r\nMessage-ID: <l@x>\r\n\r\nbody"u8.ToArray()), Ct));
        Assert.False(refused.Transient);
        Assert.Contains("no address in example.com", refused.Reply, StringComparison.Ordinal);
        Assert.All(Users, u => Assert.Empty(Files(u)));
        Assert.Empty(_journal.Routed);
    }

    [Fact]
    public async Task Unknown_recipients_without_a_default_are_journalled_as_refused_while_the_known_ones_get_it()
    {
        var destination = Destination(withDefault: false);
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            await session.DeliverAsync("U1", new MemoryStream(DomainMail.Copy(null)), Ct);
        }

        var routed = Assert.Single(_journal.Routed);
        Assert.Equal(["ann", "bob"], routed.Copies.Select(c => c.User));
        Assert.Equal("zed@example.com", Assert.Single(routed.Refused).Address);
    }

    [Fact]
    public async Task A_message_without_uidl_is_keyed_by_content_and_a_spool_failure_names_the_spool()
    {
        var destination = Destination();
        await using (var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct))
        {
            var receipt = await session.DeliverAsync(null, new MemoryStream(DomainMail.Copy("ann@example.com")), Ct);
            Assert.StartsWith("sha256:", receipt.Key, StringComparison.Ordinal);
        }

        var blocked = _dir.Combine("not-a-directory");
        await File.WriteAllTextAsync(blocked, "x", Ct);
        var broken = Destination(spool: blocked);
        await using var failing = await broken.OpenAsync(DomainMail.Scope("domain"), Ct);
        var error = await Assert.ThrowsAsync<DeliveryException>(() => failing.DeliverAsync("U2", new MemoryStream(DomainMail.Copy("ann@example.com")), Ct));
        Assert.Contains("spool " + blocked, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_pop3_stream_passes_through_and_leaves_nothing_behind()
    {
        var destination = Destination();
        await using var session = await destination.OpenAsync(DomainMail.Scope("domain"), Ct);
        var failure = new IOException("connection reset");
        Assert.Same(failure, await Assert.ThrowsAsync<IOException>(() => session.DeliverAsync("U1", new FailingStream(5000, failure), Ct)));
        Assert.All(Users, u => Assert.Empty(Files(u)));
        Assert.Empty(Directory.EnumerateFiles(_dir.Combine("spool")));
    }

    private static readonly string[] Users = ["ann", "bob", "carl", "postmaster"];

    private string Spec(string user) => $"maildir:{_dir.Combine("mail", user)}";

    private MultidropDestination Destination(bool withDefault = true, string? spool = null)
    {
        var settings = new MultidropSettings
        {
            LocalDomains = ["example.com"],
            Default = withDefault ? "postmaster" : null,
            Destinations = Users.ToDictionary(u => u, Spec),
        };
        Directory.CreateDirectory(_dir.Combine("spool"));
        return new MultidropDestination(
            settings, spec => MessageDestinations.Create(MailboxSpec.Parse(spec, "/")), _ledger, _journal, new FixedTimeProvider(Now), spool ?? _dir.Combine("spool"));
    }

    private List<string> Files(string user)
    {
        var dir = _dir.Combine("mail", user, "new");
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir).ToList() : [];
    }
}
