using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// The engine against Dovecot's own bytes: a session through a <see cref="TranscriptRecorder"/> in front of the
/// private Dovecot replays from memory to the same result, and the transcripts recorded that way and committed
/// (dovecot-*.txt) replay whole, also when every read returns only a few bytes.
/// </summary>
public sealed class DovecotTranscriptTests
{
    /// <summary>Set to a directory to (re)write the recorded transcripts there, e.g. Replay/Transcripts.</summary>
    private const string RecordTo = "CC_RECORD_TRANSCRIPTS";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The three messages of the recorded mailbox: fixed ids, so their octets can be made again byte for byte.</summary>
    private static IReadOnlyList<TestMessage> Mailbox { get; } =
    [
        MessageFactory.Create(640, 1, "<replay-1@collectorcluster.test>", "Replay one"),
        MessageFactory.Create(1100, 2, "<replay-2@collectorcluster.test>", "Replay two"),
        MessageFactory.Create(777, 3, "<replay-3@collectorcluster.test>", "Replay three"),
    ];

    [Fact]
    public async Task A_session_recorded_from_dovecot_replays_from_memory_to_the_same_result()
    {
        await using var dovecot = await DovecotServer.StartAsync(cancellationToken: Ct);
        await dovecot.AddUserAsync("fred", TestOptions.Password, Ct);
        foreach (var message in Mailbox)
        {
            dovecot.DropMessage("fred", message);
        }

        await using var recorder = new TranscriptRecorder(dovecot.PlainPort);
        ReplayedSession live;
        await using (var session = await Pop3Connector.ConnectAsync(TestOptions.For(recorder.Port), Ct))
        {
            live = await ReplayedSession.RunAsync(session, Ct);
        }

        Assert.True(live.Committed);
        Assert.Equal(Mailbox.Select(m => m.Content), live.Bodies);
        var transcript = await RecordAsync(
            "dovecot-session.txt",
            "A session of the collector's engine: login, UIDL and LIST pipelined, RETR, DELE, QUIT.",
            $"User fred, password {TestOptions.Password}; the mailbox holds MessageFactory's replay-1..3 (see the test).",
            recorder.Steps(1));

        var replay = new Pop3ReplayStream(transcript);
        await using (var session = await Pop3Connector.ConnectAsync(replay, TestOptions.For(recorder.Port), Ct))
        {
            var replayed = await ReplayedSession.RunAsync(session, Ct);
            Assert.Equal(live.Listing, replayed.Listing);
            Assert.Equal(live.Bodies, replayed.Bodies);
            Assert.Equal(live.Committed, replayed.Committed);
        }

        replay.AssertFinished();
        Assert.True(replay.Closed);
    }

    [Fact]
    public async Task A_refused_login_recorded_from_dovecot_replays_to_the_same_failure()
    {
        await using var dovecot = await DovecotServer.StartAsync(cancellationToken: Ct);
        await dovecot.AddUserAsync("fred", "not-" + TestOptions.Password, Ct);
        await using var recorder = new TranscriptRecorder(dovecot.PlainPort);
        var live = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(recorder.Port), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, live.Kind);
        var transcript = await RecordAsync("dovecot-auth-failed.txt", "A login with a wrong password.", $"User fred, password {TestOptions.Password} (not fred's).", recorder.Steps(1));

        var replay = new Pop3ReplayStream(transcript);
        var replayed = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(recorder.Port), Ct));
        Assert.Equal((live.Stage, live.Kind, live.ResponseCode, live.ServerReply), (replayed.Stage, replayed.Kind, replayed.ResponseCode, replayed.ServerReply));
        replay.AssertFinished();
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task The_committed_dovecot_session_replays_byte_for_byte(int readSize)
    {
        var replay = Pop3ReplayStream.Of("dovecot-session.txt", readSize);
        var result = await ReplayedSession.ReplayAsync(replay, Ct);

        Assert.True(result.Capabilities.Pipelining);
        Assert.True(result.Capabilities.RespCodes);
        Assert.True(result.Capabilities.AuthRespCode);
        Assert.Equal([1, 2, 3], result.Listing.Select(m => m.Number));
        Assert.Equal(Mailbox.Select(m => (long)m.Size), result.Listing.Select(m => m.Size));
        Assert.All(result.Listing, m => Assert.Matches("^[0-9a-fA-F]{16}$", m.Uidl!)); // pop3_uidl_format = %08Xu%08Xv
        Assert.Equal(Mailbox.Select(m => m.Content), result.Bodies);
        Assert.True(result.Committed);
        replay.AssertFinished();
        Assert.True(replay.Closed);
    }

    [Fact]
    public async Task The_committed_dovecot_refusal_keeps_the_servers_words()
    {
        var replay = Pop3ReplayStream.Of("dovecot-auth-failed.txt");
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.Equal(Pop3Stage.Authenticate, ex.Stage);
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.Equal("AUTH", ex.ResponseCode);
        Assert.Equal("-ERR [AUTH] Authentication failed.", ex.ServerReply);
        Assert.DoesNotContain(TestOptions.Password, ex.ToString());
        replay.AssertFinished();
    }

    /// <summary>Renders the recorded steps as a transcript; with CC_RECORD_TRANSCRIPTS set, also writes it there.</summary>
    private static async Task<Pop3Transcript> RecordAsync(string fileName, string what, string who, IReadOnlyList<TranscriptStep> steps)
    {
        var version = await ProcessRunner.RunAsync("dovecot", ["--version"], TimeSpan.FromMinutes(1), Ct);
        var text = Pop3Transcript.Render(
            [
                $"Recorded from Dovecot {version.StandardOutput.Trim()} (the private server of tests/CollectorCluster.Testing) by {nameof(DovecotTranscriptTests)}.",
                what,
                who,
                $"Recorded again with {RecordTo}=<this directory> dotnet test --filter {nameof(DovecotTranscriptTests)}.",
            ],
            steps);
        if (Environment.GetEnvironmentVariable(RecordTo) is { Length: > 0 } directory)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, fileName), text, Ct);
        }

        return Pop3Transcript.Parse(fileName, text);
    }
}
