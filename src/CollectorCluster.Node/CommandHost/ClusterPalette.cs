using System.Text.Json.Nodes;
using Akka.Cluster;

namespace CollectorCluster.Node.CommandHost;

/// <summary><c>cluster show</c>: the members as this node sees them (Akka.Cluster's state), so an operator can tell who is up and reachable.</summary>
public sealed class ClusterPalette : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "cluster";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } = ["cluster show"];

    /// <inheritdoc />
    public Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        if (words.Count != 1 || words[0] != "show")
        {
            throw new CommandException(words.Count == 0 || words[0] == "show" ? "usage: cluster show" : $"unknown command 'cluster {words[0]}' (help lists the commands)");
        }

        var cluster = Cluster.Get(context.System);
        var state = cluster.State;
        var lines = new List<string> { "address | roles | status | reachability" };
        var data = new JsonArray();
        foreach (var m in state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal))
        {
            var reachable = !state.Unreachable.Contains(m);
            var roles = m.Roles.Count == 0 ? "-" : string.Join(",", m.Roles.Order(StringComparer.Ordinal));
            var self = m.Address == cluster.SelfAddress ? " (this node)" : "";
            lines.Add($"{m.Address}{self} | {roles} | {m.Status} | {(reachable ? "reachable" : "unreachable")}");
            data.Add(new JsonObject
            {
                ["address"] = m.Address.ToString(),
                ["roles"] = new JsonArray([.. m.Roles.Order(StringComparer.Ordinal).Select(r => (JsonNode?)JsonValue.Create(r))]),
                ["status"] = m.Status.ToString(),
                ["reachable"] = reachable,
                ["self"] = m.Address == cluster.SelfAddress,
            });
        }

        lines.Add($"{state.Members.Count} member(s), {state.Members.Count(m => m.Status == MemberStatus.Up)} up, {state.Unreachable.Count} unreachable");
        return Task.FromResult(CommandResponse.Success(lines, data));
    }
}
