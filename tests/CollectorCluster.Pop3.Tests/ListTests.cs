namespace CollectorCluster.Pop3.Tests;

/// <summary>UIDL and LIST merged strictly; a missing UIDL command degrades to null UIDLs.</summary>
public sealed class ListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uidl_and_list_are_merged_by_number()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("UIDL", "+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n3 QhdPYR:00WBw1Ph7x7\r\n2 0000000a4f2b5c01\r\n.");
            await s.ExpectAsync("LIST", "+OK 3 messages\r\n1 120\r\n2 4500 extra-info\r\n3 99\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var list = await session.ListAsync(Ct);
        Assert.Equal(
            [new(1, "whqtswO00WBw418f9t5JxYwZ", 120), new(2, "0000000a4f2b5c01", 4500), new(3, "QhdPYR:00WBw1Ph7x7", 99)],
            list);
        await server.Completion;
    }

    [Fact]
    public async Task Pipelined_listing_sends_uidl_and_list_together()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nPIPELINING");
            await s.ExpectAsync("UIDL");
            await s.ExpectAsync("LIST"); // both arrive before any reply
            await s.SendAsync("+OK\r\n1 a\r\n.\r\n+OK\r\n1 10\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        Assert.Equal([new(1, "a", 10)], await session.ListAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Uidl_err_gives_null_uidls()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("UIDL", "-ERR not supported");
            await s.ExpectAsync("LIST", "+OK\r\n1 120\r\n2 4500\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var list = await session.ListAsync(Ct);
        Assert.Equal([new(1, null, 120), new(2, null, 4500)], list);
        Assert.False(session.Capabilities.Uidl);
        await server.Completion;
    }

    [Theory]
    [InlineData("x abc")]
    [InlineData("2")]
    [InlineData("2   ")]
    [InlineData("0 zero")]
    [InlineData("2\tabc")]
    public async Task Malformed_uidl_line_is_quoted_in_the_error(string bad)
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("UIDL", "+OK\r\n1 good\r\n" + bad + "\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));
        Assert.Equal(Pop3ErrorKind.Protocol, ex.Kind);
        Assert.Equal(Pop3Stage.List, ex.Stage);
        Assert.StartsWith($"Malformed UIDL line from 127.0.0.1:{server.Port}: \"", ex.Message);
        Assert.Contains(bad.Replace("\t", "\\t"), ex.Message);

        // The session is dead after a protocol error.
        var again = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));
        Assert.Equal(Pop3ErrorKind.Protocol, again.Kind);
    }

    [Fact]
    public async Task Long_uidl_is_keyed_by_its_digest_and_flagged()
    {
        var longUidl = new string('u', 100);
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("UIDL", $"+OK\r\n1 {longUidl}\r\n.");
            await s.ExpectAsync("LIST", "+OK\r\n1 5\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var key = Assert.Single(await session.ListAsync(Ct)).Uidl;
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(longUidl))), key);
        Assert.Contains("1 UIDL(s) that RFC 1939 does not allow", Assert.Single(session.Warnings));
    }
}
