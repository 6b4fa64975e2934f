using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>
/// The sample's process faults, on the built collector with its own journal: kill -9 of <c>collector run</c>, SIGTERM
/// of <c>collector once</c>, the SQLite journal's disk turning read-only and PostgreSQL stopped, each at a seeded random
/// moment of a session, in every mode and destination.
/// </summary>
public sealed class ProcessFaultSampleTests(FaultLabFixture fixture)
{
    public static IEnumerable<TheoryDataRow<FaultKind, int>> Kinds() =>
    [
        Row(FaultKind.KillRun, 2),
        Row(FaultKind.TermOnce, 1),
        Row(FaultKind.JournalReadOnly, 1),
        Row(FaultKind.PostgresStopped, 1),
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task Every_message_exactly_once_and_no_run_hangs_after_the_fault(FaultKind kind, int perCell) =>
        FaultSample.RunAsync(fixture.Lab, kind, perCell);

    private static TheoryDataRow<FaultKind, int> Row(FaultKind kind, int perCell) =>
        new(kind, perCell) { TestDisplayName = $"{FaultKinds.Name(kind)} x{perCell} per cell" };
}
