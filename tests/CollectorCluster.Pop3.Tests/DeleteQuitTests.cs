namespace CollectorCluster.Pop3.Tests;

/// <summary>DELE and the commit point QUIT: true only for +OK.</summary>
public sealed class DeleteQuitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dele_then_quit_ok_returns_true()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("DELE 1", "+OK message 1 deleted");
            await s.ExpectAsync("DELE 3", "+OK message 3 deleted");
            await s.ExpectAsync("QUIT", "+OK dewey POP3 server signing off (2 messages left)");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        await session.DeleteAsync([new(1, "a", 1), new(3, "c", 1)], Ct);
        Assert.True(await session.QuitAsync(Ct));
        var after = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));
        Assert.Contains("closed", after.Message);
        await server.Completion;
    }

    [Fact]
    public async Task Pipelined_dele_refusal_names_the_message()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nPIPELINING");
            await s.ExpectAsync("DELE 1");
            await s.ExpectAsync("DELE 2");
            await s.SendAsync("+OK\r\n-ERR message 2 already deleted");
            await s.ExpectAsync("QUIT", "+OK");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.DeleteAsync([new(1, "a", 1), new(2, "b", 1)], Ct));
        Assert.Equal(Pop3Stage.Delete, ex.Stage);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind);
        Assert.Contains("message 2", ex.Message);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Quit_err_returns_false()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("DELE 1", "+OK");
            await s.ExpectAsync("QUIT", "-ERR [SYS/TEMP] could not commit deletions");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        await session.DeleteAsync([new(1, "a", 1)], Ct);
        Assert.False(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Quit_without_reply_returns_false()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("QUIT");
            s.Drop();
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        Assert.False(await session.QuitAsync(Ct));
    }
}
