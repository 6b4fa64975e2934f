using System.Globalization;
using System.Text.Json.Nodes;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>log tail [-n N] [--follow]</c>: the node's recent log lines from its in-memory ring; with <c>--follow</c>,
/// every new line as a progress frame until the operator stops collectorctl.
/// </summary>
public sealed class LogPalette : ICommandPalette
{
    /// <summary>How often a follower is sent an empty frame, so a client that went away is noticed while the node is quiet.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public string Name => "log";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } = ["log tail [-n N] [--follow]"];

    /// <inheritdoc />
    public async Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        const string usage = "usage: log tail [-n N] [--follow]";
        if (words.Count == 0 || words[0] != "tail")
        {
            throw new CommandException(usage);
        }

        var ring = context.Log ?? throw new CommandException("this node keeps no log lines");
        var count = 20;
        var follow = false;
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "--follow" or "-f":
                    follow = true;
                    break;
                case "-n" when i + 1 < words.Count:
                    count = int.TryParse(words[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n
                        : throw new CommandException($"log tail: -n '{words[i]}' is not a positive number");
                    break;
                default:
                    throw new CommandException($"log tail: unexpected '{words[i]}' ({usage})");
            }
        }

        if (!follow)
        {
            var tail = ring.Tail(count);
            return CommandResponse.Success(tail, new JsonArray([.. tail.Select(l => (JsonNode?)JsonValue.Create(l))]));
        }

        var (lines, next, subscription) = ring.Follow(count);
        using (subscription)
        {
            foreach (var line in lines)
            {
                await context.Progress(ProgressFrame.Text(line)).ConfigureAwait(false);
            }

            // Until the client leaves (a write fails) or the node stops (cancellation).
            while (!context.Cancellation.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
                wait.CancelAfter(Heartbeat);
                try
                {
                    var line = await next.ReadAsync(wait.Token).ConfigureAwait(false);
                    await context.Progress(ProgressFrame.Text(line)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
                {
                    await context.Progress(ProgressFrame.Beat).ConfigureAwait(false);
                }
            }
        }

        return CommandResponse.Success(["(node stopping)"], null);
    }
}
