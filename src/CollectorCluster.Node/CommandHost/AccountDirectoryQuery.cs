using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Sharding;
using CollectorCluster.Actors.Sleep;

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
    public static async Task<IReadOnlyList<string>> AccountIdsAsync(CommandContext context, bool onlyThisNode) =>
        [.. (await AccountLocationsAsync(context, onlyThisNode).ConfigureAwait(false)).Keys];

    /// <summary>
    /// The account ids, sorted, each with the address of the member whose region hosts its entity; null for an
    /// account of the file that no region reported (not started yet, or its member did not answer).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string?>> AccountLocationsAsync(CommandContext context, bool onlyThisNode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cluster = Cluster.Get(context.System);
        var local = await context.Accounts.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, CommandContext.AskTimeout).ConfigureAwait(false);
        var regions = new List<(Address Address, CurrentShardRegionState? State)> { (cluster.SelfAddress, local) };
        if (!onlyThisNode)
        {
            var others = cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != cluster.SelfAddress).ToList();
            regions.AddRange(await Task.WhenAll(others.Select(async m =>
            {
                var region = context.System.ActorSelection(m.Address + RegionPath);
                try
                {
                    return (m.Address, State: (CurrentShardRegionState?)await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false));
                }
                catch (AskTimeoutException)
                {
                    return (m.Address, State: (CurrentShardRegionState?)null); // an unresponsive member: list what the others know rather than nothing
                }
            })).ConfigureAwait(false));
        }

        var located = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        var alarms = new List<(string Shard, string Address)>();
        foreach (var (address, state) in regions)
        {
            foreach (var id in state?.Shards.SelectMany(s => s.EntityIds) ?? [])
            {
                if (AccountMessageExtractor.AlarmShard(id) is { } shard)
                {
                    alarms.Add((shard, address.ToString()));
                }
                else
                {
                    located[id] = address.ToString();
                }
            }
        }

        // Sleeping accounts have no entity: their shard's alarm knows them, and they live where it lives.
        foreach (var (address, sleepers) in await Task.WhenAll(alarms.Select(async a => (a.Address, await SleepersAsync(context, a.Shard).ConfigureAwait(false)))).ConfigureAwait(false))
        {
            foreach (var id in sleepers)
            {
                located.TryAdd(id, address);
            }
        }

        if (!onlyThisNode)
        {
            foreach (var id in context.FileAccounts.Select(a => a.Id))
            {
                located.TryAdd(id, null);
            }
        }

        return located;
    }

    private static async Task<IReadOnlyList<string>> SleepersAsync(CommandContext context, string shard)
    {
        try
        {
            return (await context.Accounts.Ask<Sleepers>(new ListSleepers(shard), CommandContext.AskTimeout).ConfigureAwait(false)).AccountIds;
        }
        catch (AskTimeoutException)
        {
            return []; // an alarm moving with its shard: its accounts show again on the next listing
        }
    }
}
