using System.Globalization;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// A relay in front of a POP3 server that understands the protocol enough to strike at one step of one connection:
/// armed with a <see cref="Pop3FaultPoint"/>, the next connection it accepts is followed reply by reply, and at the
/// point the link is cut (both ways at once) or held (nothing more forwarded until <see cref="Release"/>, so a test can
/// kill or signal the collector, or break its journal, at exactly that moment). Every other connection passes through.
/// </summary>
public sealed class Pop3FaultProxy : TcpRelay
{
    private readonly Lock gate = new();
    private Pop3FaultPoint? point;
    private Pop3FaultAction action;
    private int target;
    private Pop3ResponseTracker? tracker;
    private TaskCompletionSource<string> reached = NewSource<string>();
    private TaskCompletionSource<bool> release = NewSource<bool>();

    /// <summary>Relays to 127.0.0.1:<paramref name="targetPort"/>; nothing is armed.</summary>
    public Pop3FaultProxy(int targetPort)
        : base(targetPort)
    {
    }

    /// <summary>Completes when the armed point was reached, with what the client had been sent (e.g. <c>inside RETR #3 at reply byte 1234 of '+OK 5678 octets'</c>).</summary>
    public Task<string> Reached => reached.Task;

    /// <summary>True once the armed point was reached.</summary>
    public bool Triggered => reached.Task.IsCompleted;

    /// <summary>Strikes at <paramref name="faultPoint"/> of the next connection accepted.</summary>
    public void Arm(Pop3FaultPoint faultPoint, Pop3FaultAction faultAction)
    {
        ArgumentNullException.ThrowIfNull(faultPoint);
        lock (gate)
        {
            point = faultPoint;
            action = faultAction;
            target = 0;
            tracker = null;
            reached = NewSource<string>();
            release = NewSource<bool>();
        }
    }

    /// <summary>Lets a held connection go on: <paramref name="cut"/> closes it instead (after a kill, or to end it).</summary>
    public void Release(bool cut) => release.TrySetResult(cut);

    /// <summary>Nothing more is armed; a held connection is cut.</summary>
    public void Disarm()
    {
        lock (gate)
        {
            point = null;
        }

        Release(cut: true);
    }

    /// <inheritdoc />
    protected override Task OnStoppingAsync()
    {
        Release(cut: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task OnAcceptedAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (point is not null && target == 0)
            {
                target = connection.Number;
                tracker = new Pop3ResponseTracker();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void OnClientLine(RelayConnection connection, string line)
    {
        if (Tracked(connection) is { } followed)
        {
            followed.CommandSent(line);
        }
    }

    /// <inheritdoc />
    protected override async Task ForwardToClientAsync(RelayConnection connection, ReadOnlyMemory<byte> data, Stream client, CancellationToken cancellationToken)
    {
        var followed = Tracked(connection);
        Pop3FaultPoint? armed;
        lock (gate)
        {
            armed = point;
        }

        if (followed is null || armed is null || Triggered)
        {
            await client.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var start = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var next = data.Span[i];
            var info = followed.Peek(next);
            if (!Triggered && armed.StopsBefore(info, followed))
            {
                await client.WriteAsync(data[start..i], cancellationToken).ConfigureAwait(false);
                start = i;
                if (await StrikeAsync(connection, Describe(armed, info.Position, followed), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            followed.Consume(next);
            if (!Triggered && armed.StopsAfter(info))
            {
                await client.WriteAsync(data[start..(i + 1)], cancellationToken).ConfigureAwait(false);
                start = i + 1;
                if (await StrikeAsync(connection, Describe(armed, info.Position, followed), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }

        await client.WriteAsync(data[start..], cancellationToken).ConfigureAwait(false);
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Where the link stopped; the status line only once the reply has begun (before its first byte it is the last reply's).
    private static string Describe(Pop3FaultPoint armed, Pop3BytePosition at, Pop3ResponseTracker followed)
    {
        var status = at.Offset > 0 ? $" ('{Truncate(followed.StatusLine)}')" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{armed}: reply byte {at.Offset} of {at.Verb} #{at.Occurrence}{status}, stream byte {at.StreamOffset}");
    }

    private static string Truncate(string line) => line.Length <= 40 ? line : line[..40] + "...";

    private Pop3ResponseTracker? Tracked(RelayConnection connection)
    {
        lock (gate)
        {
            return connection.Number == target ? tracker : null;
        }
    }

    /// <summary>The point is reached: cut, or hold until released. True when the connection is over.</summary>
    private async Task<bool> StrikeAsync(RelayConnection connection, string description, CancellationToken cancellationToken)
    {
        Task<bool> released;
        Pop3FaultAction what;
        lock (gate)
        {
            released = release.Task;
            what = action;
        }

        reached.TrySetResult(description);
        if (what == Pop3FaultAction.Hold && !await released.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return false; // released to go on: forward the rest as it comes
        }

        connection.Cut();
        return true;
    }
}
