using System.Globalization;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// One fault of a campaign: what strikes, in which mode, into which destination, and the seed every random choice of
/// the scenario (message count and sizes, the step and byte offset, the moment of a kill) is drawn from, so the same
/// scenario can be run again.
/// </summary>
/// <param name="Index">Its number in the campaign (names its account, mailbox and directory).</param>
/// <param name="Kind">What strikes.</param>
/// <param name="Mode">Leave, delete or mirror.</param>
/// <param name="Destination">Maildir or LMTP.</param>
/// <param name="Seed">The scenario's own seed.</param>
public sealed record FaultScenario(int Index, FaultKind Kind, CollectionMode Mode, DestinationKind Destination, int Seed)
{
    /// <summary>The account id (and directory name) of the scenario.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"f{Index:D5}");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{Index} {FaultKinds.Name(Kind)} {FaultKinds.Name(Mode)} {FaultKinds.Name(Destination)} seed {Seed}");
}
