using System.Text;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// Builds transcripts of misbehaving servers in code (the lines are too long or too many to keep as files): the
/// usual login, then whatever the test appends, replayed from memory by <see cref="Pop3ReplayStream"/>.
/// </summary>
public sealed class HostileTranscript
{
    private readonly StringBuilder text = new();

    private HostileTranscript()
    {
    }

    /// <summary>Greeting, CAPA (UIDL, TOP, RESP-CODES), USER/PASS as <see cref="TestOptions"/> logs in, CAPA again.</summary>
    public static HostileTranscript AfterLogin()
    {
        var t = new HostileTranscript();
        t.Server("+OK ready");
        t.Capa();
        t.Client("USER fred").Server("+OK");
        t.Client($"PASS {TestOptions.Password}").Server("+OK logged in");
        t.Capa();
        return t;
    }

    /// <summary>Only a greeting line (for what fails before login).</summary>
    public static HostileTranscript Greeting(string greeting) => new HostileTranscript().Server(greeting);

    /// <summary>A line the server sends.</summary>
    public HostileTranscript Server(string line)
    {
        text.Append("S: ").Append(line).Append('\n');
        return this;
    }

    /// <summary>Lines the server sends.</summary>
    public HostileTranscript Server(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Server(line);
        }

        return this;
    }

    /// <summary>A command the client must send.</summary>
    public HostileTranscript Client(string line)
    {
        text.Append("C: ").Append(line).Append('\n');
        return this;
    }

    /// <summary>CAPA and its answer.</summary>
    public HostileTranscript Capa() => Client("CAPA").Server(["+OK", "UIDL", "TOP", "RESP-CODES", "."]);

    /// <summary>The replay of what was built (<paramref name="readSize"/> bytes at most per read).</summary>
    public Pop3ReplayStream Replay(int readSize = int.MaxValue) => new(Pop3Transcript.Parse("hostile", text.ToString()), readSize);
}
