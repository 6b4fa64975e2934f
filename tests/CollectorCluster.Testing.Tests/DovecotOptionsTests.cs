using System.Text;

namespace CollectorCluster.Testing.Tests;

/// <summary>
/// A second, separately configured server alongside the shared one: extra config lines take effect
/// (overriding the defaults), two instances coexist on their own ports, and dispose cleans up.
/// </summary>
public sealed class DovecotOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Extra_config_lines_apply_and_stop_removes_the_directory()
    {
        var options = new DovecotServerOptions
        {
            ExtraConfigLines = ["login_greeting = CollectorCluster test ready", "protocol pop3 {", "  pop3_uidl_format = cc%u", "}"],
        };

        string root;
        await using (var server = await DovecotServer.StartAsync(options, Ct))
        {
            root = server.RootDirectory;
            Assert.NotEqual(server.PlainPort, server.TlsPort);
            var user = await server.CreateUserAsync("options", Ct);
            server.DropMessage(user.Name, MessageFactory.Create(600, 5));

            await using var pop3 = await RawPop3Connection.ConnectAsync(server.Host, server.PlainPort, Ct);
            Assert.Equal("+OK CollectorCluster test ready", await pop3.ReadLineAsync(Ct));
            await pop3.CommandAsync($"USER {user.Name}", Ct);
            Assert.StartsWith("+OK", await pop3.CommandAsync($"PASS {user.Password}", Ct), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("UIDL", Ct), StringComparison.Ordinal);
            Assert.Equal("1 cc1\r\n", Encoding.ASCII.GetString(await pop3.ReadMultiLineAsync(Ct)));
            Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT", Ct), StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(root));
    }
}
