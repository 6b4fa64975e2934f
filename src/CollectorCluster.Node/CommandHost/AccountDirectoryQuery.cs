using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Which accounts exist, asked of sharding rather than of this node's file: the configured accounts plus every
/// entity any Up member's region hosts, so <c>collector list</c> covers the whole cluster; or only this node's.
/// </summary>
public static class AccountDirectoryQuery
{
    /// <summary>The account shard region's path on every node (Cluster.Sharding's naming: /system/sharding/&lt;type&gt;).</summary>
    public const string RegionPath = "/system/sharding/account";

    /// <summary>The account ids, sorted; <paramref name="onlyThisNode"/> keeps those whose entity runs on this node.</summary>
    public static async Task<IReadOnlyList<string>> AccountIdsAsync(CommandContext context, bool onlyThisNode)
    {
        var local = await context.Accounts.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, CommandContext.AskTimeout).ConfigureAwait(false);
        var ids = new SortedSet<string>(local.Shards.SelectMany(s => s.EntityIds), StringComparer.Ordinal);
        if (onlyThisNode)
        {
            return [.. ids];
        }

        ids.UnionWith(context.FileAccounts.Select(a => a.Id));
        var cluster = Cluster.Get(context.System);
        var others = cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != cluster.SelfAddress).ToList();
        var remote = await Task.WhenAll(others.Select(async m =>
        {
            var region = context.System.ActorSelection(m.Address + RegionPath);
            try
            {
                return await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return null; // an unresponsive member: list what the others know rather than nothing
            }
        })).ConfigureAwait(false);
        foreach (var state in remote.OfType<CurrentShardRegionState>())
        {
            ids.UnionWith(state.Shards.SelectMany(s => s.EntityIds));
        }

        return [.. ids];
    }
}
