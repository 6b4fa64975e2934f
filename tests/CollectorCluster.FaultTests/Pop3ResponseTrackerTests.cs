using System.Text;
using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>The tracker follows a recorded Dovecot conversation byte by byte: which reply each byte is in, and which byte completes it.</summary>
public sealed class Pop3ResponseTrackerTests
{
    private const string Greeting = "+OK Dovecot (Debian) ready.\r\n";
    private const string Capa = "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nPIPELINING\r\n.\r\n";

    [Fact]
    public void Replies_are_told_apart_with_pipelined_commands_and_multi_line_bodies()
    {
        var tracker = new Pop3ResponseTracker();
        var completed = new List<string>();
        Feed(tracker, Greeting, completed);
        tracker.CommandSent("CAPA");
        Feed(tracker, Capa, completed);
        tracker.CommandSent("USER fred");
        tracker.CommandSent("PASS secret");
        Feed(tracker, "+OK\r\n+OK Logged in.\r\n", completed);
        tracker.CommandSent("UIDL");
        tracker.CommandSent("LIST");
        Feed(tracker, "+OK\r\n1 a\r\n2 b\r\n.\r\n+OK 2 messages:\r\n1 100\r\n2 200\r\n.\r\n", completed);
        tracker.CommandSent("RETR 1");
        tracker.CommandSent("RETR 2");
        // Dot-stuffed lines and a line "..": only a line holding a single dot ends the body.
        Feed(tracker, "+OK 12 octets\r\n..\r\n.x\r\nbody\r\n.\r\n-ERR no such message\r\n", completed);
        tracker.CommandSent("QUIT");
        Feed(tracker, "+OK Logging out.\r\n", completed);

        Assert.Equal(
            ["GREETING#1", "CAPA#1", "USER#1", "PASS#1", "UIDL#1", "LIST#1", "RETR#1", "RETR#2", "QUIT#1"],
            completed);
    }

    [Fact]
    public void Uidl_or_list_with_an_argument_and_a_refused_multi_line_command_are_one_line()
    {
        var tracker = new Pop3ResponseTracker();
        var completed = new List<string>();
        Feed(tracker, Greeting, completed);
        tracker.CommandSent("UIDL 1");
        tracker.CommandSent("LIST 1");
        tracker.CommandSent("CAPA");
        Feed(tracker, "+OK 1 abc\r\n+OK 1 100\r\n-ERR not now\r\n", completed);

        Assert.Equal(["GREETING#1", "UIDL#1", "LIST#1", "CAPA#1"], completed);
    }

    [Fact]
    public void Offsets_count_from_each_reply_and_from_the_stream_and_the_body_offset_follows_the_status_line()
    {
        var tracker = new Pop3ResponseTracker();
        Feed(tracker, Greeting, []);
        tracker.CommandSent("RETR 1");
        var reply = "+OK 5 octets\r\nabc\r\n.\r\n";
        var first = tracker.Peek((byte)'+');
        Assert.True(first.First);
        Assert.Equal(new Pop3BytePosition("RETR", 1, 0, Greeting.Length), first.Position);

        Feed(tracker, reply[..15], []); // the status line and "a"
        Assert.True(tracker.InBody);
        Assert.Equal(14, tracker.BodyOffset);
        Assert.Equal(14, tracker.Position.Offset);
        Assert.Equal(Greeting.Length + 14, tracker.Position.StreamOffset);
        Assert.Equal("+OK 5 octets", tracker.StatusLine);
        Assert.Equal(5, Pop3ResponseTracker.AnnouncedOctets(tracker.StatusLine));
    }

    [Fact]
    public void Announced_octets_are_read_only_from_a_count_followed_by_octets()
    {
        Assert.Equal(1234, Pop3ResponseTracker.AnnouncedOctets("+OK 1234 octets"));
        Assert.Equal(99, Pop3ResponseTracker.AnnouncedOctets("+OK message follows (99 octets)".Replace("(", "", StringComparison.Ordinal)));
        Assert.Null(Pop3ResponseTracker.AnnouncedOctets("+OK"));
        Assert.Null(Pop3ResponseTracker.AnnouncedOctets("+OK 12 messages"));
    }

    [Fact]
    public void Bytes_nobody_asked_for_are_an_unsolicited_reply()
    {
        var tracker = new Pop3ResponseTracker();
        var completed = new List<string>();
        Feed(tracker, Greeting + "-ERR Disconnected for inactivity.\r\n", completed);
        Assert.Equal(["GREETING#1", "UNSOLICITED#1"], completed);
    }

    internal static void Feed(Pop3ResponseTracker tracker, string text, List<string> completed)
    {
        foreach (var b in Encoding.Latin1.GetBytes(text))
        {
            var info = tracker.Peek(b);
            tracker.Consume(b);
            Assert.Equal(info.Position, tracker.Position);
            if (info.Last)
            {
                completed.Add($"{info.Position.Verb}#{info.Position.Occurrence}");
            }
        }
    }
}
