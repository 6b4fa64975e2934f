using Akka.Actor;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Tests;

/// <summary>The collection history (the console's chart) survives a snapshot, and a snapshot written before it existed reads as its last collection.</summary>
public sealed class SnapshotHistoryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly ActorSystem _system = ActorSystem.Create("snapshot-history-tests");
    private readonly AccountEventSerializer _serializer;

    public SnapshotHistoryTests() => _serializer = new AccountEventSerializer((ExtendedActorSystem)_system);

    [Fact]
    public void The_history_round_trips_through_the_snapshot_serializer()
    {
        var state = AccountState.Empty
            .Apply(new CollectionCompleted(At, At.AddSeconds(2), 4, 3, 0, 3000, []))
            .Apply(new CollectionFailed(At.AddMinutes(10), At.AddMinutes(10).AddSeconds(1), "connect", "-ERR [AUTH] no", 0, 0))
            .Apply(new CollectionCompleted(At.AddMinutes(20), At.AddMinutes(20).AddSeconds(1), 4, 1, 0, 700, []));
        var bytes = _serializer.ToBinary(AccountSnapshot.From(state));
        var read = ((AccountSnapshot)_serializer.FromBinary(bytes, _serializer.Manifest(AccountSnapshot.From(state)))).ToState();
        Assert.Equal(state.History, read.History);
        Assert.Equal([3, 0, 1], read.History.Select(h => h.Collected));
        Assert.Equal([true, false, true], read.History.Select(h => h.Succeeded));
    }

    [Fact]
    public void A_snapshot_without_history_reads_as_its_last_collection()
    {
        // The shape written before the history existed: no "history" property.
        const string older = """{"collected":[],"configuration":null,"lastCollection":{"startedAt":"2026-12-06T12:00:00+00:00","finishedAt":"2026-12-06T12:00:02+00:00","succeeded":true,"collected":5,"bytes":5000,"detail":""},"lastSuccessAt":null,"consecutiveFailures":0,"totalCollected":5,"totalBytes":5000}""";
        var read = ((AccountSnapshot)_serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(older), "AccountSnapshot.v1")).ToState();
        var only = Assert.Single(read.History);
        Assert.Equal(5, only.Collected);
        Assert.Equal(read.LastCollection, only);
    }

    public void Dispose() => _system.Dispose();
}
