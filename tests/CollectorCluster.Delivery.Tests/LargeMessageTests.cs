using CollectorCluster.Core.Delivery;
using System.Security.Cryptography;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

[Collection(typeof(LargeMessageCollection))]
public sealed class LargeMessageTests : IDisposable
{
    private const long Size = 64L * 1024 * 1024;
    private const long AllocationBound = 8L * 1024 * 1024;
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("UID-BIG")]
    [InlineData(null)]
    public async Task A_64_MB_message_streams_through_in_bounded_memory(string? uidl)
    {
        await using var session = await new MaildirDestination(_dir.Combine("Maildir")).OpenAsync(MailboxScope.AccountOnly("fred@pop"), Ct);
        await session.DeliverAsync("warm-up", new GeneratedStream(300_000), Ct); // one-time pools and JIT

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var receipt = await session.DeliverAsync(uidl, new GeneratedStream(Size), Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await session.FlushAsync(Ct);

        Assert.True(allocated < AllocationBound, $"allocated {allocated:N0} bytes for a {Size:N0}-byte message");
        Assert.False(receipt.AlreadyPresent);
        Assert.Equal(Size, receipt.Bytes);
        Assert.Equal(Size, new FileInfo(receipt.Location).Length);
        await using var written = File.OpenRead(receipt.Location);
        Assert.Equal(
            await SHA256.HashDataAsync(new GeneratedStream(Size), Ct),
            await SHA256.HashDataAsync(written, Ct));
        if (uidl is null)
        {
            Assert.Equal("sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(new GeneratedStream(Size), Ct)), receipt.Key);
        }
    }
}
