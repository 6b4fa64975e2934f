using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A minimal POP3 server that behaves like Gmail's "recent" mode: each session lists at most <c>window</c> of the
/// messages not yet retrieved in a session that ended with QUIT, so a mailbox larger than the window needs several
/// sessions. Dovecot always lists everything, so this shape can only be scripted.
/// </summary>
internal sealed class WindowedPop3Server : LoopbackServer
{
    private readonly List<(string Uidl, byte[] Body)> _messages;
    private readonly HashSet<string> _hidden = [];
    private readonly int _window;
    private readonly Lock _gate = new();
    private int _sessions;
    private int _refused;
    private string? _expectedBearer;

    public WindowedPop3Server(int count, int window)
    {
        _window = window;
        _messages = Enumerable.Range(1, count)
            .Select(i => ($"gm{i:D5}", Encoding.ASCII.GetBytes($"Message-ID: <w{i}@test>\r\nSubject: window {i}\r\n\r\nbody {i}\r\n")))
            .ToList();
    }

    /// <summary>When set, logins must be XOAUTH2 for "fred" with this bearer token (anything else is refused with [AUTH]).</summary>
    public string? ExpectedBearer
    {
        get => Volatile.Read(ref _expectedBearer);
        set => Volatile.Write(ref _expectedBearer, value);
    }

    /// <summary>When set, CAPA advertises LOGIN-DELAY with this many seconds.</summary>
    public int? LoginDelaySeconds { get; init; }

    /// <summary>XOAUTH2 logins refused.</summary>
    public int RefusedLogins => Volatile.Read(ref _refused);

    /// <summary>Sessions that logged in.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var connection = new ServerConnection(client, client.GetStream());
        Task Send(string text) => connection.SendAsync(text);

        List<(string Uidl, byte[] Body)> view;
        lock (_gate)
        {
            view = _messages.Where(m => !_hidden.Contains(m.Uidl)).Take(_window).ToList();
        }

        var retrieved = new ConcurrentBag<string>();
        await Send("+OK windowed ready");
        while (await connection.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts[0].ToUpperInvariant())
            {
                case "CAPA":
                    var delay = LoginDelaySeconds is { } d ? $"LOGIN-DELAY {d}\r\n" : "";
                    await Send($"+OK\r\nUIDL\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nSASL XOAUTH2\r\n{delay}EXPIRE 0\r\n.");
                    break;
                case "AUTH" when parts.Length == 2 && parts[1] == "XOAUTH2":
                    await Send("+ ");
                    var payload = Encoding.UTF8.GetString(Convert.FromBase64String(await connection.ReadLineAsync() ?? ""));
                    if (payload == $"user=fred\u0001auth=Bearer {ExpectedBearer}\u0001\u0001")
                    {
                        Interlocked.Increment(ref _sessions);
                        await Send("+OK logged in");
                        break;
                    }

                    Interlocked.Increment(ref _refused);
                    await Send("+ " + Convert.ToBase64String("{\"status\":\"401\",\"schemes\":\"bearer\"}"u8));
                    _ = await connection.ReadLineAsync();
                    await Send("-ERR [AUTH] Invalid credentials");
                    break;
                case "USER":
                    await Send("+OK");
                    break;
                case "PASS":
                    Interlocked.Increment(ref _sessions);
                    await Send("+OK logged in");
                    break;
                case "UIDL":
                    await Send("+OK\r\n" + string.Concat(view.Select((m, i) => $"{i + 1} {m.Uidl}\r\n")) + ".");
                    break;
                case "LIST":
                    await Send("+OK\r\n" + string.Concat(view.Select((m, i) => $"{i + 1} {m.Body.Length}\r\n")) + ".");
                    break;
                case "RETR":
                    var m = view[int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) - 1];
                    retrieved.Add(m.Uidl);
                    await Send($"+OK {m.Body.Length} octets\r\n{Encoding.ASCII.GetString(m.Body)}.");
                    break;
                case "DELE":
                case "NOOP":
                    await Send("+OK");
                    break;
                case "QUIT":
                    lock (_gate)
                    {
                        _hidden.UnionWith(retrieved); // Gmail hides what a committed session retrieved
                    }

                    await Send("+OK bye");
                    return;
                default:
                    await Send("-ERR unknown command");
                    break;
            }
        }
    }
}
