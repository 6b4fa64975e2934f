using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary><c>tokens show</c>: this node's connection-token figures against its caps, node-wide and per remote server, so an operator sees whether sessions are queueing for slots and where.</summary>
public sealed class TokensPalette : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "tokens";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } = ["tokens show"];

    /// <inheritdoc />
    public async Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        if (words.Count != 1 || words[0] != "show")
        {
            throw new CommandException(words.Count == 0 || words[0] == "show" ? "usage: tokens show" : $"unknown command 'tokens {words[0]}' (help lists the commands)");
        }

        var f = await context.Tokens.Ask<TokenFigures>(GetTokenFigures.Instance, CommandContext.AskTimeout).ConfigureAwait(false);
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
        var lines = new List<string>
        {
            $"held: {f.Held} (connecting {f.Connecting}), queued: {f.Queued}",
            $"granted: {f.GrantedTotal}, reclaimed: {f.ReclaimedTotal}",
            $"wait p50 {Ms(f.WaitP50)}, p99 {Ms(f.WaitP99)}, max {Ms(f.WaitMax)}",
        };
        var caps = context.Options.Tokens;
        lines[0] = $"held: {f.Held}/{caps.MaxSessions} (connecting {f.Connecting}/{caps.MaxConnecting}), queued: {f.Queued}";
        if (f.Servers.Count > 0)
        {
            lines.Add($"server | held/{caps.MaxPerServer} | connecting | queued | granted | reclaimed | wait p50 | p99 | max");
            lines.AddRange(f.Servers.Select(s =>
                $"{s.Server} | {s.Held} | {s.Connecting} | {s.Queued} | {s.GrantedTotal} | {s.ReclaimedTotal} | {Ms(s.WaitP50)} | {Ms(s.WaitP99)} | {Ms(s.WaitMax)}"));
        }

        var servers = new JsonArray();
        foreach (var s in f.Servers)
        {
            servers.Add(new JsonObject
            {
                ["server"] = s.Server,
                ["held"] = s.Held,
                ["connecting"] = s.Connecting,
                ["queued"] = s.Queued,
                ["grantedTotal"] = s.GrantedTotal,
                ["reclaimedTotal"] = s.ReclaimedTotal,
                ["waitP50Ms"] = s.WaitP50.TotalMilliseconds,
                ["waitP99Ms"] = s.WaitP99.TotalMilliseconds,
                ["waitMaxMs"] = s.WaitMax.TotalMilliseconds,
            });
        }

        var data = new JsonObject
        {
            ["queued"] = f.Queued,
            ["held"] = f.Held,
            ["connecting"] = f.Connecting,
            ["maxPop3Clients"] = caps.MaxSessions,
            ["maxConnecting"] = caps.MaxConnecting,
            ["maxPerServer"] = caps.MaxPerServer,
            ["grantedTotal"] = f.GrantedTotal,
            ["reclaimedTotal"] = f.ReclaimedTotal,
            ["waitP50Ms"] = f.WaitP50.TotalMilliseconds,
            ["waitP99Ms"] = f.WaitP99.TotalMilliseconds,
            ["waitMaxMs"] = f.WaitMax.TotalMilliseconds,
            ["servers"] = servers,
        };
        return CommandResponse.Success(lines, data);
    }
}
