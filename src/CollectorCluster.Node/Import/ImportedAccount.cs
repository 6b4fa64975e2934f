using CollectorCluster.Core.Migration;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Node.Import;

/// <summary>A peer's account as it will be written: its id, how it gets its password, its seed, its delivery, and the notes on it.</summary>
/// <param name="Peer">What the peer's file said.</param>
/// <param name="Id">The account id (checked, unique).</param>
/// <param name="PasswordKey">The password line: <c>password-file = "..."</c>, <c>password-env = "..."</c> or (asked for) <c>password = "..."</c>.</param>
/// <param name="Mailbox">The mailbox, for an ordinary account.</param>
/// <param name="Multidrop">The routing, for a multidrop account.</param>
/// <param name="Seed">The <c>imported-uidls</c> file written for it, relative to the node file; null when none.</param>
/// <param name="Notes">What did not carry over for it.</param>
internal sealed record ImportedAccount(PeerAccount Peer, string Id, string PasswordKey, string? Mailbox, MultidropSettings? Multidrop, string? Seed, IReadOnlyList<ImportNote> Notes);
