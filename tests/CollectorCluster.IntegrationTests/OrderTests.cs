using System.Globalization;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// download-smallest-first observed on the wire: a recording proxy between the collector and Dovecot captures
/// the RETR commands, which are mapped to sizes by an independent LIST.
/// </summary>
public sealed class OrderTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Retrieval_order_follows_download_smallest_first(bool smallestFirst)
    {
        var user = await Server.CreateUserAsync(smallestFirst ? "smallest" : "serverorder", Ct);
        // Distinct sizes, dropped shuffled, so size order and server order differ.
        var sizes = Enumerable.Range(0, 12).Select(i => 1024 + (i * 3001)).ToArray();
        new Random(42).Shuffle(sizes);
        var messages = sizes.Select((s, i) => MessageFactory.Create(s, 500 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));

        var listing = await RawPop3.ListAsync(Server.Host, Server.PlainPort, user.Name, user.Password, Ct);
        Assert.Equal(sizes.Select(s => (long)s), listing.OrderBy(l => l.Number).Select(l => l.Size));
        var sizeOf = listing.ToDictionary(l => l.Number, l => l.Size);

        await using var proxy = new Pop3Proxy(Server.PlainPort);
        node.WriteNodeFile(new AccountSpec("order", user, proxy.Port) { LeaveMailOnServer = true, DownloadSmallestFirst = smallestFirst });

        var result = await node.RunOnceAsync(Ct);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(12, result.Collected("order"));
        node.AssertHoldsExactly(messages);

        var retrieved = proxy.ClientLines
            .Where(l => l.StartsWith("RETR ", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l.AsSpan(5), CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(12, retrieved.Count);
        Assert.Equal(12, retrieved.Distinct().Count());
        if (smallestFirst)
        {
            var retrievedSizes = retrieved.Select(n => sizeOf[n]).ToList();
            Assert.Equal(retrievedSizes.Order(), retrievedSizes);
        }
        else
        {
            Assert.Equal(Enumerable.Range(1, 12), retrieved);
        }
    }

    public void Dispose() => node.Dispose();
}
