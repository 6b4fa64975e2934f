using CollectorCluster.Core.Planning;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>What one full session returned: listing, every message's octets, and whether QUIT committed.</summary>
public sealed record ReplayedSession(Pop3ServerCapabilities Capabilities, IReadOnlyList<ListedMessage> Listing, IReadOnlyList<byte[]> Bodies, bool Committed)
{
    /// <summary>Connects over <paramref name="replay"/> (as 127.0.0.1:110) and runs the whole session from memory.</summary>
    public static async Task<ReplayedSession> ReplayAsync(Pop3ReplayStream replay, CancellationToken cancellationToken)
    {
        await using var session = await Pop3Connector.ConnectAsync(replay, TestOptions.For(110), cancellationToken);
        return await RunAsync(session, cancellationToken);
    }

    /// <summary>The collector's path through a session: list, retrieve all, delete all, QUIT.</summary>
    public static async Task<ReplayedSession> RunAsync(IPop3Session session, CancellationToken cancellationToken)
    {
        var listing = await session.ListAsync(cancellationToken);
        var bodies = new List<byte[]>();
        await session.RetrieveAsync(listing, async (_, stream, ct) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            bodies.Add(copy.ToArray());
        }, cancellationToken);
        await session.DeleteAsync(listing, cancellationToken);
        return new ReplayedSession(session.Capabilities, listing, bodies, await session.QuitAsync(cancellationToken));
    }
}
