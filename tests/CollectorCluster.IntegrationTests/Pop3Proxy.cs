using System.Collections.Concurrent;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A tiny TCP forwarder on 127.0.0.1 in front of Dovecot's plain port: it records every line the client sends
/// (so tests observe the RETR order at the protocol level) and can cap the server data it forwards (so a test
/// can freeze a collection mid-stream and kill the collector there, whatever the timing).
/// </summary>
internal sealed class Pop3Proxy(int targetPort) : TcpRelay(targetPort)
{
    private readonly ConcurrentQueue<string> clientLines = new();
    private readonly Lock gate = new();
    private long forwarded;
    private long budget = long.MaxValue;
    private TaskCompletionSource open = CreateOpen();

    /// <summary>Every line clients sent, in order (without CRLF).</summary>
    public IReadOnlyList<string> ClientLines => clientLines.ToList();

    /// <summary>Bytes of server data forwarded to clients so far.</summary>
    public long ServerBytesForwarded => Interlocked.Read(ref forwarded);

    /// <summary>
    /// Forwards at most <paramref name="bytes"/> more bytes of server data, then holds the rest back until
    /// <see cref="Resume"/>: the client can never get further than that, whatever the timing.
    /// </summary>
    public void PauseAfter(long bytes)
    {
        lock (gate)
        {
            budget = bytes;
        }
    }

    /// <summary>Lifts the limit and releases what was held back.</summary>
    public void Resume()
    {
        lock (gate)
        {
            budget = long.MaxValue;
            open.TrySetResult();
        }
    }

    /// <inheritdoc />
    protected override Task OnStoppingAsync()
    {
        Resume();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void OnClientLine(RelayConnection connection, string line) => clientLines.Enqueue(line);

    /// <inheritdoc />
    protected override async Task ForwardToClientAsync(RelayConnection connection, ReadOnlyMemory<byte> data, Stream client, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var (allowed, wait) = Take(data.Length - offset);
            if (allowed == 0)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await client.WriteAsync(data.Slice(offset, allowed), cancellationToken).ConfigureAwait(false);
            offset += allowed;
            Interlocked.Add(ref forwarded, allowed);
        }
    }

    private static TaskCompletionSource CreateOpen()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>Takes up to <paramref name="wanted"/> bytes of the budget; with none left, the task to wait for.</summary>
    private (int Allowed, Task Wait) Take(int wanted)
    {
        lock (gate)
        {
            if (budget == long.MaxValue)
            {
                return (wanted, Task.CompletedTask);
            }

            var allowed = (int)Math.Min(budget, wanted);
            budget -= allowed;
            if (allowed == 0 && open.Task.IsCompleted)
            {
                open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return (allowed, open.Task);
        }
    }
}
