using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Node.CommandHost;

/// <summary><c>tokens show</c>: this node's connection-token figures, so an operator sees whether sessions are queueing for slots.</summary>
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
        lines.AddRange(f.HeldPerServer.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"  {p.Key}: {p.Value} held"));
        var perServer = new JsonObject();
        foreach (var (server, held) in f.HeldPerServer)
        {
            perServer[server] = held;
        }

        var data = new JsonObject
        {
            ["queued"] = f.Queued,
            ["held"] = f.Held,
            ["connecting"] = f.Connecting,
            ["heldPerServer"] = perServer,
            ["grantedTotal"] = f.GrantedTotal,
            ["reclaimedTotal"] = f.ReclaimedTotal,
            ["waitP50Ms"] = f.WaitP50.TotalMilliseconds,
            ["waitP99Ms"] = f.WaitP99.TotalMilliseconds,
            ["waitMaxMs"] = f.WaitMax.TotalMilliseconds,
        };
        return CommandResponse.Success(lines, data);
    }
}
