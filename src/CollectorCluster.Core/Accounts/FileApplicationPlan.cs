namespace CollectorCluster.Core.Accounts;

/// <summary>
/// What applying one node's accounts file to the cluster does, by id: accounts to apply (added, changed or unchanged:
/// each account decides), accounts of the cluster's file that this file lacks (removed), and ids this file defines that
/// were added at run time (conflicts: the runtime account stays until removed). Pure; each list in id order.
/// </summary>
/// <param name="Apply">Ids of the file to apply.</param>
/// <param name="Remove">Ids of the cluster's file accounts no longer in the file.</param>
/// <param name="Conflicts">Ids in the file that are runtime accounts of the cluster.</param>
public sealed record FileApplicationPlan(IReadOnlyList<string> Apply, IReadOnlyList<string> Remove, IReadOnlyList<string> Conflicts)
{
    /// <summary>Plans the file's ids against the cluster's file and runtime accounts.</summary>
    public static FileApplicationPlan Plan(IEnumerable<string> fileIds, IReadOnlySet<string> clusterFileIds, IReadOnlySet<string> runtimeIds)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        ArgumentNullException.ThrowIfNull(clusterFileIds);
        ArgumentNullException.ThrowIfNull(runtimeIds);
        var file = fileIds.ToHashSet(StringComparer.Ordinal);
        return new FileApplicationPlan(
            [.. file.Where(id => !runtimeIds.Contains(id)).Order(StringComparer.Ordinal)],
            [.. clusterFileIds.Where(id => !file.Contains(id)).Order(StringComparer.Ordinal)],
            [.. file.Where(runtimeIds.Contains).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Where a file with <paramref name="digest"/> stands against the digests the cluster applied, newest first: a node
    /// starting with an <see cref="FileFreshness.Outdated"/> copy must not undo the newer one.
    /// </summary>
    public static FileFreshness Freshness(string digest, IReadOnlyList<string> appliedNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(appliedNewestFirst);
        if (appliedNewestFirst.Count == 0)
        {
            return FileFreshness.First;
        }

        return appliedNewestFirst[0] == digest ? FileFreshness.Current
            : appliedNewestFirst.Contains(digest, StringComparer.Ordinal) ? FileFreshness.Outdated
            : FileFreshness.Unseen;
    }
}
