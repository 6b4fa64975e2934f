using CollectorCluster.Testing.Network;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// A relay in front of a real POP3 server that writes down every line each way, in the order it crossed: the way
/// the replay transcripts of a real Dovecot are made. A client line is noted before it is forwarded, so a reply is
/// always noted after the command it answers.
/// </summary>
public sealed class TranscriptRecorder(int targetPort) : TcpRelay(targetPort)
{
    private readonly List<(int Connection, TranscriptStep Step)> steps = [];
    private readonly Dictionary<int, LineSplitter> serverLines = [];

    /// <summary>The lines of connection <paramref name="number"/> (1 = the first), in wire order.</summary>
    public IReadOnlyList<TranscriptStep> Steps(int number)
    {
        lock (steps)
        {
            return steps.Where(s => s.Connection == number).Select(s => s.Step).ToList();
        }
    }

    /// <inheritdoc />
    protected override void OnClientLine(RelayConnection connection, string line) => Note(connection.Number, new TranscriptStep(true, line, 0));

    /// <inheritdoc />
    protected override async Task ForwardToClientAsync(RelayConnection connection, ReadOnlyMemory<byte> data, Stream client, CancellationToken cancellationToken)
    {
        foreach (var line in ServerLines(connection.Number, data.Span))
        {
            Note(connection.Number, new TranscriptStep(false, line, 0));
        }

        await client.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    private List<string> ServerLines(int number, ReadOnlySpan<byte> chunk)
    {
        lock (serverLines)
        {
            if (!serverLines.TryGetValue(number, out var splitter))
            {
                serverLines[number] = splitter = new LineSplitter();
            }

            return splitter.Take(chunk);
        }
    }

    private void Note(int connection, TranscriptStep step)
    {
        lock (steps)
        {
            steps.Add((connection, step));
        }
    }
}
