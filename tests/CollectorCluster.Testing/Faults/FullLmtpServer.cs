using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// A scripted LMTP server (RFC 2033) that stores what it accepts in a Maildir and can be "full": after
/// <see cref="FillAfter"/> it takes that many more messages, then answers each further one <c>452 4.2.2 Mailbox full</c>
/// after its data, as Dovecot's LMTP does over quota. <see cref="Grow"/> makes room again for the recovery run.
/// </summary>
public sealed class FullLmtpServer : LoopbackServer
{
    private readonly Lock gate = new();
    private int stored;
    private int? capacity;
    private int refused;

    /// <summary>Listens on 127.0.0.1 with room for everything; accepted messages go to <paramref name="maildir"/> (created).</summary>
    public FullLmtpServer(string maildir)
    {
        Maildir = maildir;
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }
    }

    /// <summary>Where accepted messages are stored.</summary>
    public string Maildir { get; }

    /// <summary>Messages refused with 452 so far.</summary>
    public int Refused
    {
        get
        {
            lock (gate)
            {
                return refused;
            }
        }
    }

    /// <summary>Takes <paramref name="messages"/> more, then is full.</summary>
    public void FillAfter(int messages)
    {
        lock (gate)
        {
            capacity = stored + messages;
        }
    }

    /// <summary>Lifts the limit (the operator made room).</summary>
    public void Grow()
    {
        lock (gate)
        {
            capacity = null;
        }
    }

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var connection = new ServerConnection(client, client.GetStream());
        await connection.SendAsync("220 full.test LMTP ready").ConfigureAwait(false);
        var recipients = 0;
        while (await connection.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "LHLO":
                    await connection.SendAsync("250-full.test").ConfigureAwait(false);
                    await connection.SendAsync("250-8BITMIME").ConfigureAwait(false);
                    await connection.SendAsync("250 ENHANCEDSTATUSCODES").ConfigureAwait(false);
                    break;
                case "MAIL":
                    recipients = 0;
                    await connection.SendAsync("250 2.1.0 Ok").ConfigureAwait(false);
                    break;
                case "RCPT":
                    recipients++;
                    await connection.SendAsync("250 2.1.5 Ok").ConfigureAwait(false);
                    break;
                case "DATA":
                    await ReceiveAsync(connection, recipients).ConfigureAwait(false);
                    break;
                case "RSET":
                case "NOOP":
                    recipients = verb == "RSET" ? 0 : recipients;
                    await connection.SendAsync("250 2.0.0 Ok").ConfigureAwait(false);
                    break;
                case "QUIT":
                    await connection.SendAsync("221 2.0.0 Bye").ConfigureAwait(false);
                    return;
                default:
                    await connection.SendAsync("500 5.5.2 Unknown command").ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task ReceiveAsync(ServerConnection connection, int recipients)
    {
        if (recipients == 0)
        {
            await connection.SendAsync("503 5.5.1 No valid recipients").ConfigureAwait(false);
            return;
        }

        await connection.SendAsync("354 End data with <CR><LF>.<CR><LF>").ConfigureAwait(false);
        var message = new MemoryStream();
        while (await connection.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == ".")
            {
                var reply = Store(message.ToArray());
                for (var i = 0; i < recipients; i++)
                {
                    await connection.SendAsync(reply).ConfigureAwait(false);
                }

                return;
            }

            var unstuffed = line.StartsWith('.') ? line[1..] : line;
            message.Write(Encoding.Latin1.GetBytes(unstuffed + "\r\n"));
        }
    }

    private string Store(byte[] content)
    {
        lock (gate)
        {
            if (capacity is { } limit && stored >= limit)
            {
                refused++;
                return "452 4.2.2 Mailbox full";
            }

            stored++;
            var name = string.Create(CultureInfo.InvariantCulture, $"{stored:D6}.{Guid.NewGuid():N}.lmtp");
            var temporary = Path.Combine(Maildir, "tmp", name);
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, Path.Combine(Maildir, "new", name));
            return "250 2.0.0 Ok: stored";
        }
    }
}
