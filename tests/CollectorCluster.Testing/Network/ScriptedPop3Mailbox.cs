using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// A POP3 server on the test kit's accept loop whose behaviour a test sets, for what Dovecot cannot show: UIDLs that
/// change on every refill (Cyrus-style), no UIDL or no TOP at all, messages hidden from listings (Gmail-style), a link
/// dropped in the middle of a RETR, a DELE refused, something done between committing at QUIT and answering it. One or
/// more users, each with a mailbox; a session sees the mailbox as it was at login (message numbers are per session),
/// DELE marks and QUIT commits, as RFC 1939 says. No PIPELINING is advertised, so the client's commands come one by one.
/// </summary>
public sealed class ScriptedPop3Mailbox : LoopbackServer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Password, List<(string Key, byte[] Content)> Messages)> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refuseDele = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _renamed = new(StringComparer.Ordinal);
    private int _epoch;
    private int _retrieved;
    private int _committedDeletions;
    private int _logins;

    /// <summary>Starts listening with no users (see <see cref="AddUser"/>).</summary>
    /// <param name="address">A loopback address (127.0.0.x stands for another server).</param>
    public ScriptedPop3Mailbox(IPAddress? address = null)
        : base(address)
    {
    }

    /// <summary>CAPA lists UIDL and the UIDL command works; false: -ERR to UIDL (an RFC 1939 server without the optional command).</summary>
    public bool Uidl { get; set; } = true;

    /// <summary>CAPA lists TOP and TOP works.</summary>
    public bool Top { get; set; } = true;

    /// <summary>CAPA advertises LOGIN-DELAY with this many seconds.</summary>
    public int? LoginDelaySeconds { get; set; }

    /// <summary>CAPA advertises EXPIRE with this argument.</summary>
    public string? Expire { get; set; }

    /// <summary>In each session, after this many complete RETR answers the next RETR sends half its message and the link is reset.</summary>
    public int? DropAfterRetrievals { get; set; }

    /// <summary>Runs at QUIT after the deletions are committed and before +OK is sent (e.g. a test kills the client there).</summary>
    public Func<Task>? OnCommitted { get; set; }

    /// <summary>Runs before each RETR is answered, with the number of RETRs answered so far in the session (e.g. a test stops the journal there).</summary>
    public Func<int, Task>? BeforeRetrieve { get; set; }

    /// <summary>Complete RETR answers sent, over all sessions.</summary>
    public int Retrieved => Volatile.Read(ref _retrieved);

    /// <summary>Deletions committed by QUIT, over all sessions.</summary>
    public int CommittedDeletions => Volatile.Read(ref _committedDeletions);

    /// <summary>Successful logins.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Adds a user whose mailbox holds <paramref name="messages"/>, each with a stable key (its UIDL until <see cref="ChangeUidls"/>).</summary>
    public void AddUser(string user, string password, IEnumerable<(string Key, byte[] Content)> messages)
    {
        lock (_gate)
        {
            _users[user] = (password, messages.ToList());
        }
    }

    /// <summary>Delivers more messages to a user's mailbox.</summary>
    public void Add(string user, IEnumerable<(string Key, byte[] Content)> messages)
    {
        lock (_gate)
        {
            _users[user].Messages.AddRange(messages);
        }
    }

    /// <summary>The keys of a user's mailbox now (what the server holds, hidden or not).</summary>
    public IReadOnlyList<string> Keys(string user)
    {
        lock (_gate)
        {
            return _users[user].Messages.Select(m => m.Key).ToList();
        }
    }

    /// <summary>Every message gets a new UIDL from the next login on (a mailbox refilled or migrated: Cyrus's UIDVALIDITY changes).</summary>
    public void ChangeUidls()
    {
        lock (_gate)
        {
            _epoch++;
        }
    }

    /// <summary>These messages (by key) get a new UIDL from the next login on; the others keep theirs.</summary>
    public void ChangeUidls(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _renamed[key] = _renamed.GetValueOrDefault(key) + 1;
            }
        }
    }

    /// <summary>Hides messages (by key) from every listing from the next login on, as Gmail hides what it chooses; they stay on the server.</summary>
    public void Hide(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            _hidden.UnionWith(keys);
        }
    }

    /// <summary>Lists every message again.</summary>
    public void Unhide()
    {
        lock (_gate)
        {
            _hidden.Clear();
        }
    }

    /// <summary>DELE of these messages (by key) is answered -ERR.</summary>
    public void RefuseDele(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            _refuseDele.UnionWith(keys);
        }
    }

    /// <summary>The UIDL a message is listed under now.</summary>
    public string UidlOf(string key)
    {
        lock (_gate)
        {
            var renamed = _epoch + _renamed.GetValueOrDefault(key);
            return renamed == 0 ? key : string.Create(CultureInfo.InvariantCulture, $"{key}.e{renamed}");
        }
    }

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var connection = new ServerConnection(client, client.GetStream());
        string? user = null;
        string? authenticated = null;
        List<(string Key, byte[] Content)> view = [];
        var marked = new HashSet<int>();
        var retrievals = 0;
        await connection.SendAsync("+OK scripted POP3 ready");
        while (await connection.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var verb = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
            if (authenticated is null && verb is not ("CAPA" or "USER" or "PASS" or "QUIT"))
            {
                await connection.SendAsync("-ERR authenticate first");
                continue;
            }

            switch (verb)
            {
                case "CAPA":
                    await connection.SendAsync("+OK\r\n" + Capabilities() + ".");
                    break;
                case "USER" when parts.Length == 2:
                    user = parts[1];
                    await connection.SendAsync("+OK");
                    break;
                case "PASS" when user is not null:
                    var password = line.Length > 5 ? line[5..] : "";
                    lock (_gate)
                    {
                        if (_users.TryGetValue(user, out var box) && box.Password == password)
                        {
                            authenticated = user;
                            view = box.Messages.Where(m => !_hidden.Contains(m.Key)).ToList();
                        }
                    }

                    if (authenticated is null)
                    {
                        await connection.SendAsync("-ERR [AUTH] invalid login");
                        break;
                    }

                    Interlocked.Increment(ref _logins);
                    await connection.SendAsync("+OK logged in");
                    break;
                case "STAT":
                    await connection.SendAsync(string.Create(CultureInfo.InvariantCulture, $"+OK {Live(view, marked).Count()} {Live(view, marked).Sum(m => m.Message.Content.Length)}"));
                    break;
                case "LIST":
                    await connection.SendAsync("+OK\r\n" + string.Concat(Live(view, marked).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Number} {m.Message.Content.Length}\r\n"))) + ".");
                    break;
                case "UIDL" when !Uidl:
                    await connection.SendAsync("-ERR UIDL not supported");
                    break;
                case "UIDL":
                    await connection.SendAsync("+OK\r\n" + string.Concat(Live(view, marked).Select(m => $"{m.Number.ToString(CultureInfo.InvariantCulture)} {UidlOf(m.Message.Key)}\r\n")) + ".");
                    break;
                case "RETR" when Message(view, marked, parts) is { } retr:
                    if (BeforeRetrieve is { } before)
                    {
                        await before(retrievals);
                    }

                    var stuffed = Stuffed(retr.Content);
                    if (DropAfterRetrievals is { } limit && retrievals >= limit)
                    {
                        await connection.SendRawAsync(Encoding.ASCII.GetBytes($"+OK {retr.Content.Length} octets\r\n").Concat(stuffed.Take(stuffed.Length / 2)).ToArray());
                        connection.Drop();
                        return;
                    }

                    await connection.SendRawAsync(Encoding.ASCII.GetBytes($"+OK {retr.Content.Length} octets\r\n").Concat(stuffed).Concat(".\r\n"u8.ToArray()).ToArray());
                    retrievals++;
                    Interlocked.Increment(ref _retrieved);
                    break;
                case "TOP" when !Top:
                    await connection.SendAsync("-ERR TOP not supported");
                    break;
                case "TOP" when Message(view, marked, parts) is { } top:
                    await connection.SendRawAsync(Encoding.ASCII.GetBytes("+OK\r\n").Concat(Stuffed(HeaderBlock(top.Content))).Concat(".\r\n"u8.ToArray()).ToArray());
                    break;
                case "DELE" when Message(view, marked, parts) is { } dele:
                    bool refused;
                    lock (_gate)
                    {
                        refused = _refuseDele.Contains(dele.Key);
                    }

                    if (refused)
                    {
                        await connection.SendAsync("-ERR message locked");
                        break;
                    }

                    marked.Add(int.Parse(parts[1], CultureInfo.InvariantCulture));
                    await connection.SendAsync("+OK marked");
                    break;
                case "NOOP":
                    await connection.SendAsync("+OK");
                    break;
                case "RSET":
                    marked.Clear();
                    await connection.SendAsync("+OK");
                    break;
                case "QUIT":
                    if (authenticated is not null && marked.Count > 0)
                    {
                        var keys = marked.Select(n => view[n - 1].Key).ToHashSet(StringComparer.Ordinal);
                        lock (_gate)
                        {
                            _users[authenticated].Messages.RemoveAll(m => keys.Contains(m.Key));
                        }

                        Interlocked.Add(ref _committedDeletions, keys.Count);
                    }

                    if (OnCommitted is { } committed)
                    {
                        await committed();
                    }

                    try
                    {
                        await connection.SendAsync("+OK bye");
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                    {
                        // The client is gone (a test killed it at the commit): the commit stands, as on a real server.
                    }

                    return;
                default:
                    await connection.SendAsync("-ERR unknown or malformed command");
                    break;
            }
        }
    }

    private static IEnumerable<(int Number, (string Key, byte[] Content) Message)> Live(List<(string Key, byte[] Content)> view, HashSet<int> marked) =>
        view.Select((m, i) => (Number: i + 1, Message: m)).Where(m => !marked.Contains(m.Number));

    private static (string Key, byte[] Content)? Message(List<(string Key, byte[] Content)> view, HashSet<int> marked, string[] parts) =>
        parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= view.Count && !marked.Contains(n)
            ? view[n - 1]
            : null;

    /// <summary>The header block and the blank line after it (TOP n 0).</summary>
    private static byte[] HeaderBlock(byte[] content)
    {
        var end = content.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? content : content[..(end + 4)];
    }

    /// <summary>Dot-stuffed, ending with CRLF.</summary>
    private static byte[] Stuffed(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            text += "\r\n";
        }

        var lines = text[..^2].Split("\r\n");
        return Encoding.Latin1.GetBytes(string.Concat(lines.Select(l => (l.StartsWith('.') ? "." + l : l) + "\r\n")));
    }

    private string Capabilities()
    {
        var caps = new StringBuilder("USER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n");
        if (Uidl)
        {
            caps.Append("UIDL\r\n");
        }

        if (Top)
        {
            caps.Append("TOP\r\n");
        }

        if (LoginDelaySeconds is { } delay)
        {
            caps.Append(CultureInfo.InvariantCulture, $"LOGIN-DELAY {delay}\r\n");
        }

        if (Expire is { } expire)
        {
            caps.Append(CultureInfo.InvariantCulture, $"EXPIRE {expire}\r\n");
        }

        return caps.ToString();
    }
}
