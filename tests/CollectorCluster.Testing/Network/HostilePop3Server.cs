using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// A POP3 server that misbehaves on purpose (<see cref="Pop3Attack"/>): endless listings, huge UIDLs, bodies past
/// their listed size, trickles. Everything it sends is generated as it is sent, in 64 KiB pieces, so a
/// gigabyte-long attack never sits in the test's memory and the client's memory is all a test measures. Besides the
/// attack it is an honest mailbox of a few small messages that counts what a client did: deletions only count once
/// QUIT answered +OK (<see cref="CommittedDeletions"/>), as on a real server.
/// </summary>
public sealed class HostilePop3Server : LoopbackServer
{
    private const int Chunk = 64 * 1024;
    private readonly List<(string Uidl, byte[] Body)> messages;
    private readonly Lock gate = new();
    private readonly List<string> committed = [];
    private long bytesSent;
    private int retrievals;

    /// <summary>Listens on 127.0.0.1 with <paramref name="messageCount"/> honest messages; the attack concerns the last one or the listing.</summary>
    public HostilePop3Server(Pop3Attack attack, int messageCount = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messageCount, 1);
        Attack = attack;
        messages = Enumerable.Range(1, messageCount)
            .Select(i => ($"h{i:D8}", Encoding.ASCII.GetBytes($"Message-ID: <h{i}@hostile.test>\r\nSubject: hostile {i}\r\n\r\nbody {i}\r\n")))
            .ToList();
        if (attack.Kind == Pop3AttackKind.LongUidl)
        {
            // Generated when listed; kept here (cut at 4 KiB for a huge one) only to name the message in CommittedDeletions.
            messages[^1] = (new string('x', (int)Math.Min(attack.Amount, 4096)), messages[^1].Body);
        }
    }

    /// <summary>The misbehaviour.</summary>
    public Pop3Attack Attack { get; }

    /// <summary>The honest UIDL of message <paramref name="number"/> (1-based).</summary>
    public string UidlOf(int number) => messages[number - 1].Uidl;

    /// <summary>UIDLs deleted by sessions that ended with QUIT +OK (what the server really deleted).</summary>
    public IReadOnlyList<string> CommittedDeletions
    {
        get
        {
            lock (gate)
            {
                return [.. committed];
            }
        }
    }

    /// <summary>Bytes written to clients so far (the attack's included).</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    /// <summary>RETR commands answered with +OK.</summary>
    public int Retrievals => Volatile.Read(ref retrievals);

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        client.NoDelay = true;
        await using var connection = new ServerConnection(client, client.GetStream());
        var deleted = new List<string>();
        try
        {
            await SendAsync(connection, "+OK hostile POP3 ready\r\n", stopping);
            while (await connection.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                var verb = parts[0].ToUpperInvariant();
                var arg = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                switch (verb)
                {
                    case "CAPA":
                        await SendAsync(connection, "+OK\r\nUIDL\r\nTOP\r\nUSER\r\nRESP-CODES\r\n.\r\n", stopping);
                        break;
                    case "USER":
                    case "NOOP":
                        await SendAsync(connection, "+OK\r\n", stopping);
                        break;
                    case "PASS":
                        await SendAsync(connection, "+OK logged in\r\n", stopping);
                        break;
                    case "UIDL":
                        await UidlAsync(connection, stopping);
                        break;
                    case "LIST":
                        await SendAsync(connection, "+OK\r\n" + string.Concat(messages.Select((m, i) => $"{i + 1} {m.Body.Length}\r\n")) + ".\r\n", stopping);
                        break;
                    case "RETR" when arg >= 1 && arg <= messages.Count:
                        Interlocked.Increment(ref retrievals);
                        await RetrAsync(connection, arg, stopping);
                        break;
                    case "DELE" when arg >= 1 && arg <= messages.Count:
                        deleted.Add(messages[arg - 1].Uidl);
                        await SendAsync(connection, "+OK deleted\r\n", stopping);
                        break;
                    case "QUIT":
                        lock (gate)
                        {
                            committed.AddRange(deleted);
                        }

                        await SendAsync(connection, "+OK bye\r\n", stopping);
                        return;
                    default:
                        await SendAsync(connection, "-ERR unknown command\r\n", stopping);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client cut the session off (what the attacks are for), or the test is over. Nothing is committed.
        }
    }

    private async Task UidlAsync(ServerConnection connection, CancellationToken stopping)
    {
        switch (Attack.Kind)
        {
            case Pop3AttackKind.EndlessUidlListing:
                await SendGeneratedAsync(connection, "+OK\r\n", Attack.Amount, ListingLine, ".\r\n", stopping);
                return;
            case Pop3AttackKind.LongUidl:
                var head = "+OK\r\n" + string.Concat(messages.Take(messages.Count - 1).Select((m, i) => $"{i + 1} {m.Uidl}\r\n")) + $"{messages.Count} ";
                await SendGeneratedAsync(connection, head, Attack.Amount, static (_, buffer) => { buffer[0] = (byte)'x'; return 1; }, "\r\n.\r\n", stopping);
                return;
            case Pop3AttackKind.TrickleUidl:
                await SendAsync(connection, "+OK\r\n", stopping);
                await TrickleAsync(connection, Encoding.ASCII.GetBytes($"1 {messages[0].Uidl}\r\n"), stopping);
                return;
            default:
                await SendAsync(connection, "+OK\r\n" + string.Concat(messages.Select((m, i) => $"{i + 1} {m.Uidl}\r\n")) + ".\r\n", stopping);
                return;
        }
    }

    private async Task RetrAsync(ServerConnection connection, int number, CancellationToken stopping)
    {
        var body = messages[number - 1].Body;
        var last = number == messages.Count;
        if (last && Attack.Kind == Pop3AttackKind.BodyBeyondListedSize)
        {
            var head = "+OK\r\n" + Encoding.ASCII.GetString(body);
            const string Line = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"; // 80 bytes
            await SendGeneratedAsync(connection, head, Attack.Amount / Line.Length, static (_, buffer) => Encoding.ASCII.GetBytes(Line, buffer), ".\r\n", stopping);
            return;
        }

        if (last && Attack.Kind == Pop3AttackKind.TrickleRetr)
        {
            await SendAsync(connection, "+OK\r\n", stopping);
            await TrickleAsync(connection, body, stopping);
            return;
        }

        await SendAsync(connection, "+OK\r\n" + Encoding.ASCII.GetString(body) + ".\r\n", stopping);
    }

    /// <summary>"n u000...0n": a 70-character UIDL, the longest RFC 1939 allows (what costs a client most), formatted without allocating.</summary>
    private static int ListingLine(long index, byte[] buffer)
    {
        var span = buffer.AsSpan();
        (index + 1).TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written++] = (byte)' ';
        span[written++] = (byte)'u';
        (index + 1).TryFormat(span[written..], out var uidl, "D69", CultureInfo.InvariantCulture);
        written += uidl;
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        return written;
    }

    /// <summary>
    /// Sends <paramref name="head"/>, then <paramref name="count"/> generated items (each written by
    /// <paramref name="item"/> into a small buffer), then <paramref name="tail"/>, in 64 KiB writes.
    /// </summary>
    private async Task SendGeneratedAsync(ServerConnection connection, string head, long count, Func<long, byte[], int> item, string tail, CancellationToken stopping)
    {
        var chunk = new byte[Chunk];
        var one = new byte[256];
        var used = Encoding.ASCII.GetBytes(head, chunk);
        for (long i = 0; i < count; i++)
        {
            var length = item(i, one);
            if (used + length > chunk.Length)
            {
                await WriteAsync(connection, chunk.AsMemory(0, used), stopping);
                used = 0;
            }

            one.AsSpan(0, length).CopyTo(chunk.AsSpan(used));
            used += length;
        }

        await WriteAsync(connection, chunk.AsMemory(0, used), stopping);
        await SendAsync(connection, tail, stopping);
    }

    /// <summary>Sends <paramref name="start"/>, then filler, <c>Amount</c> bytes per <c>Interval</c>, until the client leaves.</summary>
    private async Task TrickleAsync(ServerConnection connection, byte[] start, CancellationToken stopping)
    {
        var tick = (int)Math.Max(1, Attack.Amount);
        var sent = 0L;
        var filler = new byte[tick];
        while (true)
        {
            var piece = filler.AsMemory();
            if (sent < start.Length)
            {
                piece = start.AsMemory((int)sent, (int)Math.Min(tick, start.Length - sent));
            }
            else
            {
                filler.AsSpan().Fill((byte)'z');
            }

            await WriteAsync(connection, piece, stopping);
            sent += piece.Length;
            await Task.Delay(Attack.Interval, stopping);
        }
    }

    private Task SendAsync(ServerConnection connection, string text, CancellationToken stopping) =>
        WriteAsync(connection, Encoding.ASCII.GetBytes(text), stopping);

    private async Task WriteAsync(ServerConnection connection, ReadOnlyMemory<byte> bytes, CancellationToken stopping)
    {
        await connection.Stream.WriteAsync(bytes, stopping);
        await connection.Stream.FlushAsync(stopping);
        Interlocked.Add(ref bytesSent, bytes.Length);
    }
}
