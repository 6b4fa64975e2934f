namespace CollectorCluster.Core.Migration;

/// <summary>A peer's configuration file, read: its POP3 accounts, and the notes on what did not carry over outside any account.</summary>
/// <param name="Tool">Whose file it was.</param>
/// <param name="Accounts">The accounts, in the file's order.</param>
/// <param name="Notes">File-level notes (global options, entries that are not POP3).</param>
public sealed record PeerConfig(PeerTool Tool, IReadOnlyList<PeerAccount> Accounts, IReadOnlyList<ImportNote> Notes);
