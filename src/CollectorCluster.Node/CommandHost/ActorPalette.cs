using System.Text.Json.Nodes;
using Akka.Actor;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>actor hierarchy</c>: the tree of this node's actors under /user (and, with <c>--system</c>, /system, where
/// sharding keeps the accounts), read from the actor cells' children, so it shows what is alive right now.
/// </summary>
public sealed class ActorPalette : ICommandPalette
{
    /// <summary>A walk stops here: a tree this size is already more than a person reads.</summary>
    private const int MaxActors = 5000;

    /// <inheritdoc />
    public string Name => "actor";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } = ["actor hierarchy [--system]"];

    /// <inheritdoc />
    public Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        if (words.Count == 0 || words[0] != "hierarchy" || words.Skip(1).Any(w => w != "--system"))
        {
            throw new CommandException("usage: actor hierarchy [--system]");
        }

        var system = (ExtendedActorSystem)context.System;
        var roots = words.Contains("--system") ? new[] { system.Guardian, system.SystemGuardian } : [system.Guardian];
        var lines = new List<string>();
        var data = new JsonArray();
        var count = 0;
        foreach (var root in roots)
        {
            data.Add(Walk(root, "", "", lines, ref count));
        }

        lines.Add(count >= MaxActors ? $"{count} actor(s) shown (stopped at {MaxActors})" : $"{count} actor(s)");
        return Task.FromResult(CommandResponse.Success(lines, data));
    }

    /// <summary>Adds the actor's line (prefix + branch + name) and its children's, depth first, in name order.</summary>
    private static JsonObject Walk(IActorRef actor, string prefix, string branch, List<string> lines, ref int count)
    {
        count++;
        lines.Add(branch.Length == 0 ? actor.Path.ToStringWithoutAddress() : prefix + branch + actor.Path.Name);
        // ActorRefWithCell.Children is the cell's current children container: a snapshot, safe to read from here.
        var children = actor is ActorRefWithCell cell
            ? cell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList()
            : [];
        var childPrefix = branch.Length == 0 ? "" : prefix + (branch == "└── " ? "    " : "│   ");
        var childNodes = new JsonArray();
        for (var i = 0; i < children.Count && count < MaxActors; i++)
        {
            childNodes.Add(Walk(children[i], childPrefix, i == children.Count - 1 ? "└── " : "├── ", lines, ref count));
        }

        return new JsonObject { ["path"] = actor.Path.ToStringWithoutAddress(), ["children"] = childNodes };
    }
}
