using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>STARTTLS and implicit TLS against Dovecot's self-signed certificate: pinned works, unpinned or mis-pinned is refused.</summary>
public sealed class TlsTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Theory]
    [InlineData("starttls")]
    [InlineData("implicit")]
    public async Task Pinned_certificate_collects_over_tls(string ssl)
    {
        var user = await Server.CreateUserAsync("tls-" + ssl, Ct);
        var messages = Enumerable.Range(0, 4).Select(i => MessageFactory.Create(3000 + (i * 5000), 600 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        var port = ssl == "implicit" ? Server.TlsPort : Server.PlainPort;
        node.WriteNodeFile(new AccountSpec("tls", user, port) { Ssl = ssl, CertificateSha256 = Server.Certificate.Sha256Fingerprint });

        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, result.Collected("tls"));
        node.AssertHoldsExactly(messages);
        Assert.Equal(0, Server.CountMessages(user.Name));
        // Dovecot marks logins made over a secured connection with ", TLS" (STLS or the pop3s port).
        await Server.WaitForLogLinesAsync($"Login: user=<{user.Name}>", 1, cancellationToken: Ct);
        var login = (await Server.ReadLogAsync(Ct)).Split('\n').Single(l => l.Contains($"Login: user=<{user.Name}>", StringComparison.Ordinal));
        Assert.Contains(", TLS", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_signed_certificate_without_a_pin_is_refused()
    {
        var user = await Server.CreateUserAsync("tls-untrusted", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(2048, 650));
        node.WriteNodeFile(new AccountSpec("untrusted", user, Server.TlsPort) { Ssl = "implicit" });

        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("untrusted ", StringComparison.Ordinal));
        Assert.Contains("FAILED", line, StringComparison.Ordinal);
        Assert.Contains("certificate", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not trusted", line, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(node.DeliveredFiles());
        Assert.Equal(1, Server.CountMessages(user.Name));
        Assert.Equal(0, await Server.CountLoginsAsync(user.Name, Ct));
    }

    [Theory]
    [InlineData("implicit")]
    [InlineData("starttls")]
    public async Task Wrong_pin_is_refused(string ssl)
    {
        using var unrelated = TestCertificate.CreateUnrelated();
        var user = await Server.CreateUserAsync("tls-wrongpin", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(2048, 660));
        var port = ssl == "implicit" ? Server.TlsPort : Server.PlainPort;
        node.WriteNodeFile(new AccountSpec("wrongpin", user, port) { Ssl = ssl, CertificateSha256 = unrelated.Sha256Fingerprint });

        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("wrongpin ", StringComparison.Ordinal));
        Assert.Contains("FAILED", line, StringComparison.Ordinal);
        Assert.Contains("certificate", line, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(node.DeliveredFiles());
        Assert.Equal(1, Server.CountMessages(user.Name));
        Assert.Equal(0, await Server.CountLoginsAsync(user.Name, Ct));
    }

    public void Dispose() => node.Dispose();
}
