using System.Text;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Pop3.Tests;

/// <summary>RETR: exact octets, pipelining in order, refusals and drops.</summary>
public sealed class RetrieveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, ct);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public async Task Retr_unstuffs_dots_and_returns_exact_bytes()
    {
        const string body = "From: a@b\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n. \r\nend\r\n";
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("RETR 1");
            await s.SendMessageAsync(body);
            await s.ExpectAsync("RETR 2");
            await s.SendRawAsync(Encoding.ASCII.GetBytes("+OK\r\n.\r\n")); // empty message
            await s.ExpectAsync("QUIT", "+OK");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var got = new List<string>();
        await session.RetrieveAsync([new(1, "a", body.Length), new(2, "b", 0)], async (_, stream, ct) => got.Add(await ReadAllAsync(stream, ct)), Ct);
        Assert.Equal([body, string.Empty], got);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Unread_rest_of_a_message_is_drained()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("RETR 1");
            await s.SendMessageAsync("line one\r\nline two\r\n");
            await s.ExpectAsync("RETR 2");
            await s.SendMessageAsync("second\r\n");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var got = new List<string>();
        await session.RetrieveAsync([new(1, "a", 20), new(2, "b", 8)], async (m, stream, ct) =>
        {
            if (m.Number == 2)
            {
                got.Add(await ReadAllAsync(stream, ct));
            }
            else
            {
                var first = new byte[4];
                await stream.ReadExactlyAsync(first, ct);
            }
        }, Ct);
        Assert.Equal(["second\r\n"], got);
        await server.Completion;
    }

    [Fact]
    public async Task Pipelined_retr_of_many_messages_in_order()
    {
        const int count = 60;
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nPIPELINING");

            // A non-pipelining client would deadlock here: 8 commands must arrive before the first reply.
            for (var i = 1; i <= 8; i++)
            {
                await s.ExpectAsync($"RETR {i}");
            }

            for (var i = 1; i <= 8; i++)
            {
                await s.SendMessageAsync($"Subject: {i}\r\n\r\n.body {i}\r\n");
            }

            for (var i = 9; i <= count; i++)
            {
                await s.ExpectAsync($"RETR {i}");
                await s.SendMessageAsync($"Subject: {i}\r\n\r\n.body {i}\r\n");
            }

            await s.ExpectAsync("QUIT", "+OK");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        Assert.True(session.Capabilities.Pipelining);
        var messages = Enumerable.Range(1, count).Select(i => new ListedMessage(i, $"u{i}", 20)).ToList();
        var got = new List<(int, string)>();
        await session.RetrieveAsync(messages, async (m, stream, ct) => got.Add((m.Number, await ReadAllAsync(stream, ct))), Ct);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (i, $"Subject: {i}\r\n\r\n.body {i}\r\n")), got);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Refused_retr_in_a_pipelined_window_names_the_message_and_keeps_the_session()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nPIPELINING");
            await s.ExpectAsync("RETR 1");
            await s.ExpectAsync("RETR 2");
            await s.ExpectAsync("RETR 3");
            await s.SendMessageAsync("one\r\n");
            await s.SendAsync("-ERR [SYS/TEMP] message 2 unreadable");
            await s.SendMessageAsync("three\r\n");
            await s.ExpectAsync("QUIT", "+OK");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var got = new List<int>();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync(
            [new(1, "a", 5), new(2, "b", 5), new(3, "c", 7)],
            async (m, stream, ct) => { await ReadAllAsync(stream, ct); got.Add(m.Number); },
            Ct));
        Assert.Equal([1], got);
        Assert.Equal(Pop3Stage.Retrieve, ex.Stage);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind);
        Assert.Equal("SYS/TEMP", ex.ResponseCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("message 2", ex.Message);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Connection_dropped_mid_message_is_a_network_error_not_a_truncated_success()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("RETR 1");
            await s.SendRawAsync(Encoding.ASCII.GetBytes("+OK\r\nSubject: half\r\n\r\nsome bo"));
            s.Drop();
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var completed = false;
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync(
            [new(1, "a", 100)],
            async (_, stream, ct) => { await ReadAllAsync(stream, ct); completed = true; },
            Ct));
        Assert.False(completed);
        Assert.Equal(Pop3ErrorKind.Network, ex.Kind);
        Assert.Equal(Pop3Stage.Retrieve, ex.Stage);
        Assert.True(ex.IsTransient);

        var dead = await Assert.ThrowsAsync<Pop3Exception>(() => session.DeleteAsync([new(1, "a", 100)], Ct));
        Assert.Equal(Pop3ErrorKind.Network, dead.Kind);
        Assert.Contains("no longer usable", dead.Message);
    }

    [Fact]
    public async Task Consumer_swallowing_a_drop_still_fails_the_retrieval()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("RETR 1");
            await s.SendRawAsync(Encoding.ASCII.GetBytes("+OK\r\npartial"));
            s.Drop();
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync(
            [new(1, "a", 100)],
            async (_, stream, ct) =>
            {
                try
                {
                    await ReadAllAsync(stream, ct);
                }
                catch (Pop3Exception)
                {
                    // A careless consumer.
                }
            },
            Ct));
        Assert.Equal(Pop3ErrorKind.Network, ex.Kind);
    }
}
