using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Smtp;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// A 64 MB message through a real Dovecot LMTP in bounded memory: the DATA stream is encoded through a fixed
/// buffer, never spooled. In the non-parallel collection, since allocation counts cover every thread.
/// </summary>
[Collection(typeof(LargeMessageCollection))]
public sealed class LmtpLargeMessageTests
{
    private const long Size = 64L * 1024 * 1024;
    private const long AllocationBound = 8L * 1024 * 1024;

    [Fact]
    public async Task A_64_MB_message_streams_through_lmtp_in_bounded_memory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableLmtp = true }, ct);
        var user = await server.CreateUserAsync("lmtpbig", ct);
        var destination = new SmtpDestination(SmtpDestinationOptions.FromSpec(
            MailboxSpec.Parse($"lmtp:127.0.0.1:{server.LmtpPort}?rcpt={user.Name}@example.org", "/")));
        await using var session = await destination.OpenAsync(MailboxScope.AccountOnly("acct-big"), ct);
        await session.DeliverAsync("warm-up", new GeneratedStream(300_000), ct); // connection, pools, JIT

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var receipt = await session.DeliverAsync("BIG", new GeneratedStream(Size), ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        TestContext.Current.TestOutputHelper?.WriteLine($"LMTP 64 MiB message: allocated {allocated:N0} bytes");
        Assert.True(allocated < AllocationBound, $"allocated {allocated:N0} bytes for a {Size:N0}-byte message");
        Assert.Equal(Size, receipt.Bytes);
        var stored = DeliveredMail.Read(server, user.Name).Select(m => m.LongLength).Max();
        Assert.True(stored > Size * 9 / 10, $"Dovecot stored {stored:N0} bytes");
    }
}
