using CollectorCluster.Core.Accounts;
using CollectorCluster.Testing;

namespace CollectorCluster.Pop3.Tests;

/// <summary>Implicit TLS with a self-signed certificate: refused by default, accepted by its pin only.</summary>
public sealed class TlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Pop3ConnectOptions Implicit(int port, bool verify = true, string? pin = null) =>
        TestOptions.For(port, tls: TlsMode.Implicit, host: "localhost") with { VerifyCertificate = verify, CertificateSha256 = pin };

    private static Task Script(Pop3Script s) => s.LoginAsync();

    [Fact]
    public async Task Untrusted_certificate_is_refused_by_default()
    {
        await using var server = ScriptedPop3Server.Start(Script, TestCertificate.Shared.Certificate);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(Implicit(server.Port), Ct));
        Assert.Equal(Pop3ErrorKind.Certificate, ex.Kind);
        Assert.Equal(Pop3Stage.Tls, ex.Stage);
        Assert.Contains("certificate for localhost not trusted: RemoteCertificateChainErrors", ex.Message);
    }

    [Fact]
    public async Task Pinned_certificate_is_accepted_whatever_the_chain()
    {
        var pin = string.Join(':', TestCertificate.Shared.Sha256Fingerprint.Chunk(2).Select(c => new string(c))).ToLowerInvariant();
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("UIDL", "+OK\r\n1 x\r\n.");
            await s.ExpectAsync("LIST", "+OK\r\n1 5\r\n.");
            await s.ExpectAsync("QUIT", "+OK");
        }, TestCertificate.Shared.Certificate);
        await using var session = await Pop3Connector.ConnectAsync(Implicit(server.Port, pin: pin), Ct);
        Assert.Equal([new(1, null, 5)], (await session.ListAsync(Ct)).Select(m => m with { Uidl = null }));
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Wrong_pin_is_refused()
    {
        await using var server = ScriptedPop3Server.Start(Script, TestCertificate.Shared.Certificate);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(Implicit(server.Port, pin: new string('0', 64)), Ct));
        Assert.Equal(Pop3ErrorKind.Certificate, ex.Kind);
        Assert.Contains("does not match the pinned SHA-256", ex.Message);
        Assert.Contains(TestCertificate.Shared.Sha256Fingerprint, ex.Message);
    }

    [Fact]
    public async Task Verification_off_accepts_any_certificate()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("QUIT", "+OK");
        }, TestCertificate.Shared.Certificate);
        await using var session = await Pop3Connector.ConnectAsync(Implicit(server.Port, verify: false), Ct);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Stls_upgrades_then_rereads_capabilities_and_logs_in_over_tls()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.SendAsync("+OK ready");
            await s.ExpectAsync("CAPA", "+OK\r\nSTLS\r\nUIDL\r\n.");
            await s.ExpectAsync("STLS", "+OK Begin TLS negotiation");
            await s.UpgradeToTlsAsync(TestCertificate.Shared.Certificate);
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nSASL PLAIN\r\n.");
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", "+OK");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nPIPELINING\r\n.");
            await s.ExpectAsync("QUIT", "+OK");
        });
        var options = TestOptions.For(server.Port, tls: TlsMode.StartTls, host: "localhost") with { CertificateSha256 = TestCertificate.Shared.Sha256Fingerprint };
        await using var session = await Pop3Connector.ConnectAsync(options, Ct);
        Assert.True(session.Capabilities.Pipelining);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }
}
