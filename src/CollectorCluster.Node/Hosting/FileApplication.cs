using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Hosting;

/// <summary>What applying one node's accounts file to the cluster did, account by account.</summary>
/// <param name="Path">The file.</param>
/// <param name="Freshness">How the file compared with the versions the cluster applied before.</param>
/// <param name="Accounts">Every account touched, in id order (unchanged ones included).</param>
public sealed record FileApplication(string Path, FileFreshness Freshness, IReadOnlyList<AccountChangeLine> Accounts)
{
    /// <summary>True when the file was not applied because it is an older version than the cluster's.</summary>
    public bool Outdated => Freshness == FileFreshness.Outdated;

    /// <summary>Accounts with <paramref name="change"/>.</summary>
    public IReadOnlyList<AccountChangeLine> With(SettingsChange change) => [.. Accounts.Where(a => a.Change == change)];

    /// <summary>
    /// One line for the log: <c>1 added (c), 1 changed (a), 1 removed (b), 2 unchanged</c>, and what was refused.
    /// </summary>
    public string Summary()
    {
        static string Ids(IReadOnlyList<AccountChangeLine> lines) => lines.Count == 0 ? "" : " (" + string.Join(", ", lines.Select(l => l.Id)) + ")";
        var added = With(SettingsChange.Added);
        var changed = With(SettingsChange.Changed);
        var removed = With(SettingsChange.Removed);
        var refused = With(SettingsChange.Refused);
        var line = $"{added.Count} added{Ids(added)}, {changed.Count} changed{Ids(changed)}, {removed.Count} removed{Ids(removed)}, {With(SettingsChange.Unchanged).Count} unchanged";
        return refused.Count == 0 ? line : $"{line}; {refused.Count} NOT applied: {string.Join("; ", refused.Select(r => r.ToString()))}";
    }

    /// <summary>The lines an operator reads: the summary, then one per account that changed or was refused.</summary>
    public IReadOnlyList<string> Lines() =>
        [$"{Path}: {Summary()}", .. Accounts.Where(a => a.Change != SettingsChange.Unchanged).Select(a => "  " + a)];
}
