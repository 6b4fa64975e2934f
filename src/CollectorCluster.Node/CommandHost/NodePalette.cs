using System.Text.Json.Nodes;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>node online|offline|show</c>: the node-wide online condition. Accounts with <c>local-area-network = off</c> collect
/// only while the node is online; sessions due while offline wait and run when it goes online.
/// </summary>
public sealed class NodePalette(NodeOnline online) : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "node";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } = ["node show", "node online", "node offline"];

    /// <inheritdoc />
    public Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        if (words.Count != 1)
        {
            throw new CommandException("usage: node show | node online | node offline");
        }

        string line;
        switch (words[0])
        {
            case "show":
                line = $"node is {(online.IsOnline ? "online" : "offline")}";
                break;
            case "online" or "offline":
                var changed = online.Set(words[0] == "online", DateTimeOffset.UtcNow);
                line = changed
                    ? $"node is now {words[0]}{(words[0] == "online" ? ": waiting accounts collect" : ": accounts with local-area-network = off wait")}"
                    : $"node was already {words[0]}";
                break;
            default:
                throw new CommandException($"unknown command 'node {words[0]}' (help lists the commands)");
        }

        var waiting = context.Options.Accounts.Count(a => !a.LocalAreaNetwork);
        var data = new JsonObject { ["online"] = online.IsOnline, ["accountsNeedingOnline"] = waiting };
        return Task.FromResult(CommandResponse.Success([line, $"{waiting} account(s) with local-area-network = off"], data));
    }
}
