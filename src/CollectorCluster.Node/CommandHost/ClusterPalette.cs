using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>cluster ...</c>: membership as this node sees it (Akka.Cluster's state) and the operator's membership
/// actions (join, leave, down), in pbm's style so operators used to it feel at home.
/// </summary>
public sealed class ClusterPalette : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "cluster";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } =
    [
        "cluster show",
        "cluster status",
        "cluster leader",
        "cluster unreachable",
        "cluster join <address>",
        "cluster leave [<address>]",
        "cluster down <address>",
        "cluster down-unreachable",
    ];

    /// <inheritdoc />
    public Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        var cluster = Cluster.Get(context.System);
        var args = words.Skip(1).ToList();
        var response = words.Count == 0 ? throw new CommandException("cluster: which command? (help cluster lists them)") : words[0] switch
        {
            "show" => Show(cluster, Expect(args, 0, "cluster show"), onlyUnreachable: false),
            "unreachable" => Show(cluster, Expect(args, 0, "cluster unreachable"), onlyUnreachable: true),
            "status" => Status(cluster, Expect(args, 0, "cluster status")),
            "leader" => Leader(cluster, Expect(args, 0, "cluster leader")),
            "join" => Join(cluster, Expect(args, 1, "cluster join <address>")[0]),
            "leave" => Leave(cluster, args.Count <= 1 ? args : throw new CommandException("usage: cluster leave [<address>]")),
            "down" => Down(cluster, Expect(args, 1, "cluster down <address>")[0]),
            "down-unreachable" => DownUnreachable(cluster, Expect(args, 0, "cluster down-unreachable")),
            _ => throw new CommandException($"unknown command 'cluster {words[0]}' (help lists the commands)"),
        };
        return Task.FromResult(response);
    }

    private static List<string> Expect(List<string> args, int count, string usage) =>
        args.Count == count ? args : throw new CommandException($"usage: {usage}");

    private static CommandResponse Show(Cluster cluster, List<string> args, bool onlyUnreachable)
    {
        _ = args;
        var state = cluster.State;
        var members = state.Members.Where(m => !onlyUnreachable || state.Unreachable.Contains(m)).OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).ToList();
        var lines = new List<string> { "address | roles | status | reachability" };
        var data = new JsonArray();
        foreach (var m in members)
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

        lines.Add(onlyUnreachable
            ? $"{members.Count} unreachable member(s)"
            : $"{state.Members.Count} member(s), {state.Members.Count(m => m.Status == MemberStatus.Up)} up, {state.Unreachable.Count} unreachable");
        return CommandResponse.Success(lines, data);
    }

    private static CommandResponse Status(Cluster cluster, List<string> args)
    {
        _ = args;
        var state = cluster.State;
        var self = cluster.SelfMember;
        string[] lines =
        [
            $"this node: {cluster.SelfAddress}",
            $"status: {self.Status}",
            $"roles: {(self.Roles.Count == 0 ? "-" : string.Join(",", self.Roles.Order(StringComparer.Ordinal)))}",
            $"leader: {state.Leader?.ToString() ?? "-"}{(state.Leader == cluster.SelfAddress ? " (this node)" : "")}",
            $"members: {state.Members.Count}, up: {state.Members.Count(m => m.Status == MemberStatus.Up)}, unreachable: {state.Unreachable.Count}",
        ];
        var data = new JsonObject
        {
            ["address"] = cluster.SelfAddress.ToString(),
            ["status"] = self.Status.ToString(),
            ["leader"] = state.Leader?.ToString(),
            ["members"] = state.Members.Count,
            ["up"] = state.Members.Count(m => m.Status == MemberStatus.Up),
            ["unreachable"] = state.Unreachable.Count,
        };
        return CommandResponse.Success(lines, data);
    }

    private static CommandResponse Leader(Cluster cluster, List<string> args)
    {
        _ = args;
        var leader = cluster.State.Leader;
        var line = leader is null ? "no leader (the node is not Up in a cluster)" : $"{leader}{(leader == cluster.SelfAddress ? " (this node)" : "")}";
        return CommandResponse.Success([line], new JsonObject { ["leader"] = leader?.ToString(), ["self"] = leader == cluster.SelfAddress });
    }

    private static CommandResponse Join(Cluster cluster, string text)
    {
        var address = ParseAddress(text);
        cluster.Join(address);
        var line = $"{cluster.SelfAddress} asked to join {address}; 'cluster show' tells when it is Up";
        return CommandResponse.Success([line], new JsonObject { ["joining"] = address.ToString() });
    }

    private static CommandResponse Leave(Cluster cluster, List<string> args)
    {
        var address = args.Count == 0 ? cluster.SelfAddress : Member(cluster, args[0]).Address;
        cluster.Leave(address);
        var self = address == cluster.SelfAddress;
        // Leaving runs coordinated shutdown on the leaver: its accounts hand over, then the process ends.
        var line = self
            ? $"{address} (this node) is leaving: its accounts move to the other members, then collector run stops"
            : $"{address} is leaving: its accounts move to the other members, then it stops";
        return CommandResponse.Success([line], new JsonObject { ["leaving"] = address.ToString(), ["self"] = self });
    }

    private static CommandResponse Down(Cluster cluster, string text)
    {
        var member = Member(cluster, text);
        cluster.Down(member.Address);
        var line = $"{member.Address}{(member.Address == cluster.SelfAddress ? " (this node)" : "")} marked down: the cluster stops waiting for it and its accounts start elsewhere";
        return CommandResponse.Success([line], new JsonObject { ["downed"] = member.Address.ToString() });
    }

    private static CommandResponse DownUnreachable(Cluster cluster, List<string> args)
    {
        _ = args;
        var unreachable = cluster.State.Unreachable.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).ToList();
        foreach (var m in unreachable)
        {
            cluster.Down(m.Address);
        }

        var lines = unreachable.Select(m => $"{m.Address} marked down").Append($"{unreachable.Count} unreachable member(s) marked down").ToList();
        return CommandResponse.Success(lines, new JsonArray([.. unreachable.Select(m => (JsonNode?)JsonValue.Create(m.Address.ToString()))]));
    }

    private static Member Member(Cluster cluster, string text)
    {
        var address = ParseAddress(text);
        return cluster.State.Members.FirstOrDefault(m => m.Address == address)
            ?? throw new CommandException($"'{address}' is not a member of this cluster ('cluster show' lists the members)");
    }

    private static Address ParseAddress(string text)
    {
        try
        {
            return Address.Parse(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CommandException($"'{text}' is not a cluster address (like akka.tcp://collector@host:port): {e.Message}");
        }
    }
}
