using System.Text;
using CollectorCluster.Core.Policy;
using CollectorCluster.Pop3.Protocol;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// The session deadline (issues 11.3 and 12): its arithmetic as a table, then trickling servers on a real socket,
/// with a test-sized allowance. A trickle never ends by itself, so the only way these sessions can end is the deadline.
/// </summary>
public sealed class SessionDeadlineTests
{
    private static readonly Pop3Limits Tight = Pop3Limits.Default with
    {
        DeadlineBase = TimeSpan.FromSeconds(1),
        DeadlinePerMessage = TimeSpan.FromMilliseconds(500),
        MinThroughput = 1000,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0L, 0L, 0, 1.0)]
    [InlineData(1000L, 0L, 0, 2.0)]
    [InlineData(0L, 5000L, 2, 7.0)]
    [InlineData(250L, 250L, 1, 2.0)]
    public void The_allowance_is_base_plus_bytes_at_the_floor_plus_commands(long listingBytes, long fetchBytes, int commands, double seconds)
    {
        var budget = new SessionBudget(Tight);
        budget.CreditListing((int)listingBytes);
        budget.CreditRequest(commands, fetchBytes);
        Assert.Equal(TimeSpan.FromSeconds(seconds), budget.Allowance);
        budget.AddWaited(TimeSpan.FromSeconds(0.25));
        budget.AddWaited(TimeSpan.FromSeconds(-3)); // never negative
        Assert.Equal(TimeSpan.FromSeconds(seconds - 0.25), budget.Remaining);
    }

    [Fact]
    public void A_hostile_listed_size_cannot_overflow_the_allowance()
    {
        var budget = new SessionBudget(Tight);
        budget.CreditRequest(int.MaxValue, long.MaxValue);
        budget.CreditRequest(1, long.MaxValue);
        Assert.True(budget.Allowance > TimeSpan.FromDays(365));
        Assert.Equal(long.MaxValue, budget.FetchBytes);
    }

    [Fact]
    public void The_figures_say_what_was_allowed_and_why()
    {
        var budget = new SessionBudget(Tight);
        budget.CreditRequest(3, 2000);
        budget.AddWaited(TimeSpan.FromSeconds(4.5));
        Assert.Equal(
            "waited 4.5 s on the server, allowed 4.5 s = base 1 s + 2,000 bytes listed or to fetch at the 1,000 bytes/s floor + 3 command(s) x 0.5 s",
            budget.Describe());
    }

    [Fact]
    public async Task A_server_sending_one_byte_at_a_time_is_cut_off_at_the_deadline()
    {
        // One byte per second, so the per-read timeout (20 s) never fires; only the deadline can end this.
        await using var server = new HostilePop3Server(Pop3Attack.TrickleUidl(TimeSpan.FromSeconds(1)));
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port) with { Limits = Tight }, Ct);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));

        Assert.Equal(Pop3ErrorKind.Deadline, ex.Kind);
        Assert.Equal(Pop3Stage.List, ex.Stage);
        Assert.True(ex.IsTransient);
        Assert.Equal(FailureCause.SessionDeadline, Pop3FailureClassifier.Classify(ex));
        Assert.StartsWith($"Session deadline reached with 127.0.0.1:{server.Port} during List: waited ", ex.Message);
        Assert.Contains("= base 1 s + ", ex.Message);
        Assert.Contains("(collector.pop3.session-deadline); the session was cut off", ex.Message);
        Assert.Empty(server.CommittedDeletions);
    }

    [Fact]
    public async Task A_server_trickling_a_message_is_cut_off_naming_the_message_and_how_far_it_got()
    {
        // 10 bytes per second through RETR of message 2; message 1 is honest and arrives whole.
        await using var server = new HostilePop3Server(Pop3Attack.TrickleRetr(10, TimeSpan.FromSeconds(1)));
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port) with { Limits = Tight }, Ct);
        var listing = await session.ListAsync(Ct);
        var delivered = new List<int>();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync(listing, async (m, stream, ct) =>
        {
            await stream.CopyToAsync(Stream.Null, ct);
            delivered.Add(m.Number);
        }, Ct));

        Assert.Equal([1], delivered);
        Assert.Equal(Pop3ErrorKind.Deadline, ex.Kind);
        Assert.Equal(Pop3Stage.Retrieve, ex.Stage);
        Assert.Contains($"Session deadline reached with 127.0.0.1:{server.Port} while retrieving message 2 (UIDL {server.UidlOf(2)}) after ", ex.Message);
        Assert.Contains($" of {listing[1].Size} listed bytes: waited ", ex.Message);
        Assert.Contains("2 command(s) x 0.5 s", ex.Message);
    }

    [Fact]
    public async Task Time_the_consumer_takes_is_not_the_servers_and_does_not_count()
    {
        // The session's clock moves only while the consumer (a slow destination) works: an hour per message, far past
        // the whole allowance. Waits on the server take no time on it however loaded the machine is, so the only way
        // this session can reach its deadline is by counting the consumer's hours.
        await using var server = new HostilePop3Server(Pop3Attack.None);
        var clock = new ConsumerClock();
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port) with { Limits = Tight, Clock = clock }, Ct);
        var listing = await session.ListAsync(Ct);
        var bodies = new List<string>();
        await session.RetrieveAsync(listing, async (_, stream, ct) =>
        {
            clock.Advance(TimeSpan.FromHours(1));
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            bodies.Add(Encoding.ASCII.GetString(copy.ToArray()));
        }, Ct);

        Assert.Equal(2, bodies.Count);
        Assert.True(await session.QuitAsync(Ct));
    }

    /// <summary>Timestamps that move only when the test says so.</summary>
    private sealed class ConsumerClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    }
}
