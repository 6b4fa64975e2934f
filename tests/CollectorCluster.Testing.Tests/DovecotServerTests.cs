using System.Net.Security;
using System.Security.Authentication;
using System.Text;

namespace CollectorCluster.Testing.Tests;

/// <summary>
/// Proves the shared Dovecot fixture against the real server: accounts, dropped messages, POP3 commands,
/// the pinned certificate on the TLS port, and the login log.
/// </summary>
public sealed class DovecotServerTests(DovecotFixture fixture)
{
    private DovecotServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dropped_messages_are_served_over_plain_pop3()
    {
        var user = await Server.CreateUserAsync("plain", Ct);
        var messages = new[] { MessageFactory.Create(2048, 1), MessageFactory.Create(5000, 2), MessageFactory.Create(70_000, 3) };
        foreach (var message in messages)
        {
            Server.DropMessage(user.Name, message);
        }

        Assert.Equal(3, Server.CountMessages(user.Name));

        await using var pop3 = await RawPop3Connection.ConnectAsync(Server.Host, Server.PlainPort, Ct);
        Assert.StartsWith("+OK", await pop3.ReadLineAsync(Ct), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync($"USER {user.Name}", Ct), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync($"PASS {user.Password}", Ct), StringComparison.Ordinal);

        var stat = await pop3.CommandAsync("STAT", Ct);
        Assert.Equal($"+OK 3 {messages.Sum(m => m.Size)}", stat);

        Assert.StartsWith("+OK", await pop3.CommandAsync("UIDL", Ct), StringComparison.Ordinal);
        var uidl = Encoding.ASCII.GetString(await pop3.ReadMultiLineAsync(Ct))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, uidl.Length);
        Assert.Equal(3, uidl.Select(l => l.Split(' ')[1]).Distinct().Count());
        Assert.All(uidl, l => Assert.Matches("^[123] [0-9a-fA-F]{16}$", l));

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.StartsWith("+OK", await pop3.CommandAsync($"RETR {i + 1}", Ct), StringComparison.Ordinal);
            Assert.Equal(messages[i].Content, await pop3.ReadMultiLineAsync(Ct));
        }

        Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT", Ct), StringComparison.Ordinal);
        Assert.Equal(3, Server.CountMessages(user.Name));
        await Server.WaitForLogLinesAsync($"Login: user=<{user.Name}>", 1, cancellationToken: Ct);
        Assert.Equal(1, await Server.CountLoginsAsync(user.Name, Ct));
    }

    [Fact]
    public async Task Dele_then_quit_removes_the_message()
    {
        var user = await Server.CreateUserAsync("dele", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(1024, 10));
        Server.DropMessage(user.Name, MessageFactory.Create(1024, 11));

        await using var pop3 = await RawPop3Connection.ConnectAsync(Server.Host, Server.PlainPort, Ct);
        await pop3.ReadLineAsync(Ct);
        await pop3.CommandAsync($"USER {user.Name}", Ct);
        Assert.StartsWith("+OK", await pop3.CommandAsync($"PASS {user.Password}", Ct), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync("DELE 1", Ct), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT", Ct), StringComparison.Ordinal);

        Assert.Equal(1, Server.CountMessages(user.Name));
    }

    [Fact]
    public async Task Wrong_password_is_rejected()
    {
        var user = await Server.CreateUserAsync("wrongpw", Ct);

        await using var pop3 = await RawPop3Connection.ConnectAsync(Server.Host, Server.PlainPort, Ct);
        Assert.StartsWith("+OK", await pop3.ReadLineAsync(Ct), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync($"USER {user.Name}", Ct), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await pop3.CommandAsync("PASS not-the-password", Ct), StringComparison.Ordinal);
        Assert.Equal(0, await Server.CountLoginsAsync(user.Name, Ct));
    }

    [Fact]
    public async Task Tls_port_presents_the_fixture_certificate()
    {
        var user = await Server.CreateUserAsync("tls", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(4096, 20));
        string? presented = null;

        await using var pop3 = await RawPop3Connection.ConnectTlsAsync(
            Server.Host,
            Server.TlsPort,
            (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()));
                return Server.Certificate.Matches(certificate);
            },
            Ct);

        Assert.Equal(Server.Certificate.Sha256Fingerprint, presented);
        Assert.True(pop3.Tls!.SslProtocol >= SslProtocols.Tls12);
        Assert.StartsWith("+OK", await pop3.ReadLineAsync(Ct), StringComparison.Ordinal);
        await pop3.CommandAsync($"USER {user.Name}", Ct);
        Assert.StartsWith("+OK", await pop3.CommandAsync($"PASS {user.Password}", Ct), StringComparison.Ordinal);
        Assert.Equal("+OK 1 4096", await pop3.CommandAsync("STAT", Ct));
        Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinning_an_unrelated_certificate_fails_the_handshake()
    {
        using var wrong = TestCertificate.CreateUnrelated();
        Assert.NotEqual(Server.Certificate.Sha256Fingerprint, wrong.Sha256Fingerprint);

        await Assert.ThrowsAsync<AuthenticationException>(async () =>
        {
            await using var pop3 = await RawPop3Connection.ConnectTlsAsync(
                Server.Host, Server.TlsPort, (_, certificate, _, _) => wrong.Matches(certificate), Ct);
        });
    }

    [Fact]
    public async Task Plain_port_offers_stls()
    {
        await using var pop3 = await RawPop3Connection.ConnectAsync(Server.Host, Server.PlainPort, Ct);
        await pop3.ReadLineAsync(Ct);
        Assert.StartsWith("+OK", await pop3.CommandAsync("CAPA", Ct), StringComparison.Ordinal);
        var capabilities = Encoding.ASCII.GetString(await pop3.ReadMultiLineAsync(Ct)).Split("\r\n");
        Assert.Contains("STLS", capabilities);
        Assert.Contains("UIDL", capabilities);
    }

    [Fact]
    public async Task Adding_a_user_with_an_existing_name_is_refused()
    {
        var user = await Server.CreateUserAsync("dup", Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Server.AddUserAsync(user.Name, "x", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Server.AddUserAsync("bad:name", "x", Ct));
    }
}
