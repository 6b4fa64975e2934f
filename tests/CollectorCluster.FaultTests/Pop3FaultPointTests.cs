using System.Text;
using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>Where each kind of fault point stops a recorded conversation: how much of it the client would have seen.</summary>
public sealed class Pop3FaultPointTests
{
    private const string Conversation =
        "+OK ready\r\n" +                                      // greeting: 11 bytes
        "+OK\r\nUIDL\r\nPIPELINING\r\n.\r\n" +                  // CAPA
        "+OK 10 octets\r\n0123456789\r\n.\r\n" +                // RETR 1
        "+OK Marked to be deleted.\r\n" +                     // DELE 1
        "+OK Logging out, messages deleted.\r\n";             // QUIT

    private static readonly string[] Commands = ["CAPA", "RETR 1", "DELE 1", "QUIT"];

    [Fact]
    public void After_the_greeting_the_client_has_exactly_the_greeting() =>
        Assert.Equal("+OK ready\r\n", SeenBy(Pop3FaultPoint.After(Pop3ResponseTracker.Greeting)));

    [Fact]
    public void Before_quit_the_client_has_everything_but_quits_reply() =>
        Assert.Equal(Conversation[..Conversation.IndexOf("+OK Logging", StringComparison.Ordinal)], SeenBy(Pop3FaultPoint.Before("QUIT")));

    [Fact]
    public void After_a_dele_the_client_has_its_ok_and_nothing_more() =>
        Assert.EndsWith("+OK Marked to be deleted.\r\n", SeenBy(Pop3FaultPoint.After("DELE")), StringComparison.Ordinal);

    [Theory]
    [InlineData(0.0, "")]
    [InlineData(0.5, "01234")]
    [InlineData(0.99, "012345678")]
    public void Inside_a_retr_the_client_has_a_share_of_the_announced_body(double fraction, string bodySeen)
    {
        var seen = SeenBy(Pop3FaultPoint.WithinBody("RETR", 1, fraction, 1000));
        Assert.EndsWith("+OK 10 octets\r\n" + bodySeen, seen, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_a_reply_never_lets_its_last_byte_through_even_past_its_end()
    {
        var seen = SeenBy(Pop3FaultPoint.Within("CAPA", 1, 10_000));
        Assert.EndsWith("PIPELINING\r\n.\r", seen, StringComparison.Ordinal);
    }

    [Fact]
    public void At_a_stream_offset_the_client_has_exactly_that_many_bytes() =>
        Assert.Equal(Conversation[..17], SeenBy(Pop3FaultPoint.AtStreamOffset(17)));

    [Fact]
    public void A_point_the_conversation_never_reaches_lets_everything_through() =>
        Assert.Equal(Conversation, SeenBy(Pop3FaultPoint.After("DELE", 2)));

    // What a client would have received before the proxy stops, feeding the commands as a real client would.
    private static string SeenBy(Pop3FaultPoint point)
    {
        var tracker = new Pop3ResponseTracker();
        foreach (var command in Commands)
        {
            tracker.CommandSent(command);
        }

        var seen = new StringBuilder();
        foreach (var b in Encoding.Latin1.GetBytes(Conversation))
        {
            var info = tracker.Peek(b);
            if (point.StopsBefore(info, tracker))
            {
                break;
            }

            tracker.Consume(b);
            seen.Append((char)b);
            if (point.StopsAfter(info))
            {
                break;
            }
        }

        return seen.ToString();
    }
}
