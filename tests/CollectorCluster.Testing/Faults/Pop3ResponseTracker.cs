using System.Globalization;
using System.Text;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// Follows a POP3 conversation byte by byte as a relay sees it: the commands the client sent (in order, pipelined or
/// not) and the server's bytes, so each byte is known as "byte N of the k-th RETR reply" and the byte that completes a
/// reply is known before it is forwarded. That is what lets a fault proxy cut or hold the link at a protocol step
/// (after the greeting, inside CAPA or UIDL, at an offset inside a RETR body, before QUIT's +OK) whatever the timing.
/// </summary>
/// <remarks>
/// Multi-line replies (RFC 1939, 2449): CAPA, RETR and TOP, and UIDL or LIST without an argument, when the status line
/// is +OK; they end with a line holding a single dot. Every other reply is its status line. SASL AUTH exchanges are not
/// followed (the collector under test logs in with USER/PASS). Bytes with no command waiting for them (the greeting,
/// or an unsolicited line) are a single-line reply of their own.
/// </remarks>
public sealed class Pop3ResponseTracker
{
    /// <summary>The name of the greeting's "command".</summary>
    public const string Greeting = "GREETING";

    /// <summary>The name given to a reply no command waits for.</summary>
    public const string Unsolicited = "UNSOLICITED";

    private const int StatusLineLimit = 512;
    private readonly Queue<string> pending = new();
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);
    private readonly StringBuilder statusLine = new();
    private readonly Lock gate = new();
    private bool greeted;
    private bool inReply;
    private string verb = Greeting;
    private bool multiLineVerb;
    private bool inBody;
    private long lineLength;
    private bool lineIsDot;
    private bool lineIsDotCr;

    /// <summary>Bytes of the server's stream seen so far.</summary>
    public long StreamOffset { get; private set; }

    /// <summary>The last byte consumed: its reply and its offsets.</summary>
    public Pop3BytePosition Position { get; private set; } = new(Greeting, 1, 0, 0);

    /// <summary>True while the bytes consumed so far are inside a reply's body (after its status line).</summary>
    public bool InBody => inReply && inBody;

    /// <summary>The offset in the current reply of its body's first byte (valid once <see cref="InBody"/>).</summary>
    public long BodyOffset { get; private set; }

    /// <summary>The status line of the current (or last) reply, as far as it has arrived (at most 512 characters, no line end).</summary>
    public string StatusLine => statusLine.ToString();

    /// <summary>A line the client sent (without its line end): its reply is expected after the earlier ones.</summary>
    public void CommandSent(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (gate)
        {
            pending.Enqueue(line);
        }
    }

    /// <summary>
    /// Describes <paramref name="next"/>, the server's next byte, without consuming it: which reply it belongs to, its
    /// offset there (0 = the reply's first byte), and whether it completes the reply.
    /// </summary>
    public Pop3ByteInfo Peek(byte next)
    {
        if (!inReply)
        {
            var (name, _) = NextCommand(peekOnly: true);
            var occurrence = occurrences.GetValueOrDefault(name) + 1;
            // A first byte is also the last only for a bare line end (an empty status line).
            return new Pop3ByteInfo(new Pop3BytePosition(name, occurrence, 0, StreamOffset), First: true, Last: next == (byte)'\n');
        }

        var position = Position with { Offset = Position.Offset + 1, StreamOffset = StreamOffset };
        return new Pop3ByteInfo(position, First: false, Last: next == (byte)'\n' && CompletesReply());
    }

    /// <summary>Consumes the server's next byte (<see cref="Position"/> is then that byte's).</summary>
    public void Consume(byte next)
    {
        long offset;
        if (!inReply)
        {
            StartReply();
            offset = 0;
        }
        else
        {
            offset = Position.Offset + 1;
        }

        var last = next == (byte)'\n' && CompletesReply();
        Position = new Pop3BytePosition(verb, occurrences[verb], offset, StreamOffset);
        StreamOffset++;
        if (!inBody)
        {
            if (statusLine.Length < StatusLineLimit && next is not (byte)'\r' and not (byte)'\n')
            {
                statusLine.Append((char)next);
            }

            if (next == (byte)'\n' && !last)
            {
                inBody = true;
                BodyOffset = offset + 1;
                ResetLine();
            }
        }
        else if (next == (byte)'\n')
        {
            ResetLine();
        }
        else
        {
            TrackLine(next);
        }

        if (last)
        {
            inReply = false;
        }
    }

    /// <summary>The octet count a RETR or TOP status line announces (Dovecot: <c>+OK 1234 octets</c>), or null.</summary>
    public static long? AnnouncedOctets(string statusLine)
    {
        ArgumentNullException.ThrowIfNull(statusLine);
        var parts = statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i + 1 < parts.Length; i++)
        {
            if (parts[i + 1].StartsWith("octet", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var octets))
            {
                return octets;
            }
        }

        return null;
    }

    private static bool IsMultiLine(string line)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var keyword = parts.Length == 0 ? "" : parts[0].ToUpperInvariant();
        var hasArgument = parts.Length > 1 && parts[1].Trim().Length > 0;
        return keyword switch
        {
            "CAPA" or "RETR" or "TOP" => true,
            "UIDL" or "LIST" => !hasArgument,
            _ => false,
        };
    }

    private static string Keyword(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return (space < 0 ? line : line[..space]).ToUpperInvariant();
    }

    private bool CompletesReply()
    {
        if (!inBody)
        {
            // The status line: the reply ends here unless a multi-line reply says +OK.
            return !(multiLineVerb && statusLine.Length > 0 && statusLine[0] == '+');
        }

        return lineIsDot && (lineLength == 1 || (lineLength == 2 && lineIsDotCr));
    }

    private void StartReply()
    {
        var (name, multi) = NextCommand(peekOnly: false);
        verb = name;
        multiLineVerb = multi;
        occurrences[verb] = occurrences.GetValueOrDefault(verb) + 1;
        inReply = true;
        inBody = false;
        statusLine.Clear();
        ResetLine();
    }

    private (string Name, bool MultiLine) NextCommand(bool peekOnly)
    {
        if (!greeted)
        {
            if (!peekOnly)
            {
                greeted = true;
            }

            return (Greeting, false);
        }

        lock (gate)
        {
            if (pending.Count == 0)
            {
                return (Unsolicited, false);
            }

            var line = peekOnly ? pending.Peek() : pending.Dequeue();
            return (Keyword(line), IsMultiLine(line));
        }
    }

    private void ResetLine()
    {
        lineLength = 0;
        lineIsDot = false;
        lineIsDotCr = false;
    }

    private void TrackLine(byte next)
    {
        lineLength++;
        if (lineLength == 1)
        {
            lineIsDot = next == (byte)'.';
        }
        else if (lineLength == 2)
        {
            lineIsDotCr = next == (byte)'\r';
        }
    }
}
