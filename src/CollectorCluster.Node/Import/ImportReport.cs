using CollectorCluster.Core.Migration;

namespace CollectorCluster.Node.Import;

/// <summary>What an import produced: the node file's text, the accounts in it, and every note on what did not carry over.</summary>
/// <param name="Hocon">The node file.</param>
/// <param name="Accounts">The accounts written.</param>
/// <param name="Notes">Everything not carried over (file-level notes and each account's), and the accounts left out with why.</param>
/// <param name="Files">Files written beside the node file (password files, UIDL seeds), for the summary.</param>
internal sealed record ImportReport(string Hocon, IReadOnlyList<ImportedAccount> Accounts, IReadOnlyList<ImportNote> Notes, IReadOnlyList<string> Files);
