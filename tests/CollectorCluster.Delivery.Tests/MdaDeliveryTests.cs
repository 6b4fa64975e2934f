using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Mda;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>Piping messages to a real MDA (Dovecot's dovecot-lda against the private Dovecot) and to small shell programs.</summary>
[Collection(typeof(DovecotCollection))]
public sealed class MdaDeliveryTests(LmtpDovecotFixture fixture)
{
    private const string Lda = "/usr/lib/dovecot/dovecot-lda";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Dovecot_lda_stores_each_message_byte_for_byte()
    {
        var user = await Server.CreateUserAsync("lda", Ct);
        var messages = new[] { ("M1", DeliveredMail.Tricky(21)), ("M2", MessageFactory.Create(120_000, 22).Content) };
        var destination = Destination($"{Lda} -c {Server.ConfigPath} -d {user.Name}");

        await using (var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-mda"), Ct))
        {
            foreach (var (uidl, content) in messages)
            {
                var receipt = await session.DeliverAsync(uidl, new MemoryStream(content), Ct);
                Assert.Equal(content.Length, receipt.Bytes);
                Assert.Equal(uidl, receipt.Key);
            }
        }

        var stored = DeliveredMail.Read(Server, user.Name);
        Assert.Equal(2, stored.Count);
        foreach (var (uidl, content) in messages)
        {
            Assert.Single(stored, s => DeliveredMail.EndsWith(s, DeliveredMail.ExpectedTail("acct-mda", uidl, content, overTheWire: false)));
        }
    }

    [Fact]
    public async Task Dovecot_lda_refusing_an_unknown_user_is_permanent()
    {
        await using var session = await Destination($"{Lda} -c {Server.ConfigPath} -d no-such-user-here").OpenAsync(MailboxScope.AccountOnly("acct-mda2"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("M3", new MemoryStream(DeliveredMail.Tricky(23)), Ct));

        Assert.False(e.Transient);
        Assert.Contains("exit status 67", e.Reply, StringComparison.Ordinal); // EX_NOUSER; the reason goes to Dovecot's log_path, not stderr
    }

    [Fact]
    public async Task Exit_75_is_transient_and_the_programs_stderr_is_in_the_error()
    {
        await using var session = await Destination("/bin/sh -c 'cat >/dev/null; echo mailbox locked >&2; exit 75'").OpenAsync(MailboxScope.AccountOnly("acct-mda3"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("M4", new MemoryStream(DeliveredMail.Tricky(24)), Ct));

        Assert.True(e.Transient);
        Assert.Contains("exit status 75: mailbox locked", e.Reply, StringComparison.Ordinal);
        Assert.Contains("retried next session", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_gets_lf_line_endings_and_the_trace_header()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out");
        await using var session = await Destination($"/bin/sh -c 'cat > \"$0\"' {output}").OpenAsync(MailboxScope.AccountOnly("acct-mda4"), Ct);
        var content = DeliveredMail.Tricky(25);

        await session.DeliverAsync("M5", new MemoryStream(content), Ct);

        Assert.Equal(DeliveredMail.ExpectedTail("acct-mda4", "M5", content, overTheWire: false), await File.ReadAllBytesAsync(output, Ct));
    }

    [Fact]
    public async Task A_program_that_exits_0_without_reading_the_whole_message_is_not_a_delivery()
    {
        await using var session = await Destination("/bin/true").OpenAsync(MailboxScope.AccountOnly("acct-mda5"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryRefusedException>(() => session.DeliverAsync("M6", new GeneratedStream(8L * 1024 * 1024), Ct));

        Assert.Contains("before reading the whole message", e.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_failing_mid_message_kills_the_program_before_end_of_input()
    {
        using var dir = new TempDirectory();
        var marker = dir.Combine("delivered");
        await using var session = await Destination($"/bin/sh -c 'cat >/dev/null && touch \"$0\"' {marker}").OpenAsync(MailboxScope.AccountOnly("acct-mda6"), Ct);
        var failure = new IOException("POP3 connection dropped");

        var thrown = await Assert.ThrowsAsync<IOException>(() => session.DeliverAsync("M7", new FailingStream(5000, failure), Ct));

        Assert.Same(failure, thrown);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_missing_program_is_a_delivery_error_naming_it()
    {
        await using var session = await Destination("/nonexistent/mda -x").OpenAsync(MailboxScope.AccountOnly("acct-mda7"), Ct);

        var e = await Assert.ThrowsAsync<DeliveryException>(() => session.DeliverAsync("M8", new MemoryStream(DeliveredMail.Tricky(26)), Ct));

        Assert.Contains("mda:/nonexistent/mda -x", e.Message, StringComparison.Ordinal);
    }

    private static MdaDestination Destination(string command) => new(MdaCommand.Parse(command));
}
