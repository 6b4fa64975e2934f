using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Sharding;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>shard ...</c>: where the accounts live, from Cluster.Sharding's own queries: this node's region
/// (shards and entities), the cluster's per-node counts, and the shard and node of one account.
/// </summary>
public sealed class ShardPalette : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "shard";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } =
    [
        "shard regions",
        "shard stats",
        "shard entity-location <account>",
    ];

    /// <inheritdoc />
    public async Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        var args = words.Skip(1).ToList();
        return words.Count == 0 ? throw new CommandException("shard: which command? (help shard lists them)") : words[0] switch
        {
            "regions" when args.Count == 0 => await RegionsAsync(context).ConfigureAwait(false),
            "stats" when args.Count == 0 => await StatsAsync(context).ConfigureAwait(false),
            "entity-location" when args.Count == 1 => await LocationAsync(args[0], context).ConfigureAwait(false),
            "regions" => throw new CommandException("usage: shard regions"),
            "stats" => throw new CommandException("usage: shard stats"),
            "entity-location" => throw new CommandException("usage: shard entity-location <account>"),
            _ => throw new CommandException($"unknown command 'shard {words[0]}' (help lists the commands)"),
        };
    }

    private static async Task<CommandResponse> RegionsAsync(CommandContext context)
    {
        // GetShardRegionStatus (registered with the coordinator?) is internal in Akka 1.5.73: the region's own state has to do.
        var state = await context.Accounts.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, CommandContext.AskTimeout).ConfigureAwait(false);
        var self = Cluster.Get(context.System).SelfAddress;
        var shards = state.Shards.OrderBy(s => s.ShardId.Length).ThenBy(s => s.ShardId, StringComparer.Ordinal).ToList(); // numeric ids in numeric order
        var lines = new List<string>
        {
            $"region 'account' on {self} (this node)",
            "shard | entities",
        };
        lines.AddRange(shards.Select(s => $"{s.ShardId} | {string.Join(", ", s.EntityIds.Order(StringComparer.Ordinal))}"));
        lines.Add($"{shards.Count} shard(s), {shards.Sum(s => s.EntityIds.Count)} entit(ies) on this node");
        var data = new JsonObject
        {
            ["typeName"] = "account",
            ["address"] = self.ToString(),
            ["shards"] = new JsonArray([.. shards.Select(s => (JsonNode)new JsonObject
            {
                ["shardId"] = s.ShardId,
                ["entities"] = new JsonArray([.. s.EntityIds.Order(StringComparer.Ordinal).Select(e => (JsonNode?)JsonValue.Create(e))]),
            })]),
        };
        return CommandResponse.Success(lines, data);
    }

    private static Task<ClusterShardingStats> ClusterStatsAsync(CommandContext context) =>
        context.Accounts.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(10)), CommandContext.AskTimeout);

    private static async Task<CommandResponse> StatsAsync(CommandContext context)
    {
        var stats = await ClusterStatsAsync(context).ConfigureAwait(false);
        var self = Cluster.Get(context.System).SelfAddress;
        var lines = new List<string> { "address | shards | entities" };
        var data = new JsonArray();
        foreach (var (address, region) in stats.Regions.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal))
        {
            var failed = region.Failed.Count == 0 ? "" : $" (no answer from shard(s) {string.Join(", ", region.Failed.Order(StringComparer.Ordinal))})";
            lines.Add($"{address}{(address == self ? " (this node)" : "")} | {region.Stats.Count} | {region.Stats.Values.Sum()}{failed}");
            data.Add(new JsonObject
            {
                ["address"] = address.ToString(),
                ["shards"] = region.Stats.Count,
                ["entities"] = region.Stats.Values.Sum(),
                ["failedShards"] = new JsonArray([.. region.Failed.Order(StringComparer.Ordinal).Select(f => (JsonNode?)JsonValue.Create(f))]),
            });
        }

        lines.Add($"{stats.Regions.Count} region(s), {stats.Regions.Values.Sum(r => r.Stats.Count)} shard(s), {stats.Regions.Values.Sum(r => r.Stats.Values.Sum())} entit(ies)");
        return CommandResponse.Success(lines, data);
    }

    private static async Task<CommandResponse> LocationAsync(string account, CommandContext context)
    {
        var shardId = new AccountMessageExtractor(context.Options.Shards).ShardId(account, null);
        var stats = await ClusterStatsAsync(context).ConfigureAwait(false);
        var host = stats.Regions.FirstOrDefault(r => r.Value.Stats.ContainsKey(shardId));
        var self = Cluster.Get(context.System).SelfAddress;
        var where = host.Key is null
            ? "not allocated (no node hosts this shard yet; the first message to the account allocates it)"
            : $"{host.Key}{(host.Key == self ? " (this node)" : "")}";
        var line = $"account {account}: shard {shardId} on {where}";
        var data = new JsonObject { ["account"] = account, ["shardId"] = shardId, ["address"] = host.Key?.ToString() };
        return CommandResponse.Success([line], data);
    }
}
