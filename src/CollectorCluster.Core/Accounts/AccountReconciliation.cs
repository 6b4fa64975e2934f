namespace CollectorCluster.Core.Accounts;

/// <summary>
/// What a reload of the accounts file changes: accounts new in the file, accounts whose settings changed, and
/// accounts that left the file. Pure; accounts added at run time are not in either list, so they are never touched.
/// </summary>
/// <param name="Added">In the new file only.</param>
/// <param name="Changed">In both, with different settings (the new ones).</param>
/// <param name="Removed">In the old file only (the old settings).</param>
public sealed record AccountReconciliation(IReadOnlyList<AccountSettings> Added, IReadOnlyList<AccountSettings> Changed, IReadOnlyList<AccountSettings> Removed)
{
    /// <summary>True when the reload changes nothing.</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0;

    /// <summary>Compares the file's accounts before and after a reload, by id (ordinal), each list in id order.</summary>
    public static AccountReconciliation Plan(IEnumerable<AccountSettings> before, IEnumerable<AccountSettings> after)
    {
        var old = before.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var now = after.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return new AccountReconciliation(
            [.. now.Values.Where(a => !old.ContainsKey(a.Id)).OrderBy(a => a.Id, StringComparer.Ordinal)],
            [.. now.Values.Where(a => old.TryGetValue(a.Id, out var o) && !o.Equals(a)).OrderBy(a => a.Id, StringComparer.Ordinal)],
            [.. old.Values.Where(a => !now.ContainsKey(a.Id)).OrderBy(a => a.Id, StringComparer.Ordinal)]);
    }
}
