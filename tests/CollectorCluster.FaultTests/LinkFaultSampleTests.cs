using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>
/// The sample's in-process faults, on the shared node: the link cut at every protocol step (three per cell), a full
/// destination and a server renumbering after a cut (two per cell), in leave, delete and mirror, into Maildir and LMTP.
/// </summary>
public sealed class LinkFaultSampleTests(FaultLabFixture fixture)
{
    public static IEnumerable<TheoryDataRow<FaultKind, int>> Kinds() =>
    [
        Row(FaultKind.AfterGreeting, 3),
        Row(FaultKind.MidCapa, 3),
        Row(FaultKind.MidUidl, 3),
        Row(FaultKind.MidList, 3),
        Row(FaultKind.MidRetr, 3),
        Row(FaultKind.AfterDele, 3),
        Row(FaultKind.QuitUnanswered, 3),
        Row(FaultKind.DestinationFull, 2),
        Row(FaultKind.UidlChange, 2),
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task Every_message_exactly_once_and_none_deleted_early_after_the_fault(FaultKind kind, int perCell) =>
        FaultSample.RunAsync(fixture.Lab, kind, perCell);

    private static TheoryDataRow<FaultKind, int> Row(FaultKind kind, int perCell) =>
        new(kind, perCell) { TestDisplayName = $"{FaultKinds.Name(kind)} x{perCell} per cell" };
}
