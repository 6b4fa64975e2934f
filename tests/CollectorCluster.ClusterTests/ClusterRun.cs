using CollectorCluster.Actors.Persistence;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// The processes of one cluster test: a temporary root, the node processes started in it, and the locator that reads
/// where each account ran. Waits fail with every node's log tail, and at once when a node exits that should not.
/// </summary>
internal sealed class ClusterRun(ITestOutputHelper output, string prefix, string victim) : IDisposable
{
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(120);
    private readonly List<ClusterNodeProcess> nodes = [];

    public string Root { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public AccountLocator Locator { get; } = new();

    public IReadOnlyList<ClusterNodeProcess> Nodes => nodes;

    /// <summary>A line on where the test stands, added to a wait's failure (e.g. where the accounts are).</summary>
    public Func<string>? Progress { get; set; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Drops one message into every account's mailbox (a size and Message-ID of its own per round) and expects it.</summary>
    public static void DropRound(DovecotServer dovecot, List<(string Id, TestMailUser User)> accounts, List<TestMessage> expected, int round)
    {
        for (var i = 0; i < accounts.Count; i++)
        {
            var message = MessageFactory.Create(1024 + (round * 97) + i, (round * 100_000) + i);
            dovecot.DropMessage(accounts[i].User.Name, message);
            expected.Add(message);
        }
    }

    public ClusterNodeProcess Start(string name, string nodeFile)
    {
        var node = new ClusterNodeProcess(name, nodeFile, Root, Locator);
        nodes.Add(node);
        return node;
    }

    public void Report(string line) => output.WriteLine($"[{Locator.Clock.Elapsed.TotalSeconds,6:F1} s] {line}");

    /// <summary>Polls <paramref name="condition"/>; fails with every node's log tail if it stays false, or if a node other than the victim exits.</summary>
    public async Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? limit = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(limit ?? PhaseLimit);
        while (!condition())
        {
            var dead = nodes.FirstOrDefault(n => n.HasExited && n.Name != victim);
            Assert.True(dead is null, $"{dead?.Name} exited while waiting for {what}:\n{dead?.Tail()}");
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                var tails = string.Join("\n\n", nodes.Select(n => $"--- {n.Name}\n{n.Tail(25)}"));
                throw new TimeoutException($"Gave up waiting for {what}{(Progress is null ? "" : $" ({Progress()})")}:\n{tails}");
            }
        }
    }

    /// <summary>Fails when any node logged a message of ours that crossed nodes without an explicit serializer binding.</summary>
    public void AssertNoUnboundMessages()
    {
        var unbound = nodes.SelectMany(n => n.Log.Split('\n')).Where(l => l.Contains(UnboundMessageGuard.LogPrefix + ": CollectorCluster.", StringComparison.Ordinal)).ToList();
        Assert.True(unbound.Count == 0, "Messages that crossed nodes without an explicit binding: " + string.Join(" | ", unbound.Take(5)));
    }

    public void Dispose()
    {
        foreach (var node in nodes)
        {
            node.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
