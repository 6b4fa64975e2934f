using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// A protocol-level test double: a one-connection POP3 server on 127.0.0.1:0 that runs a script of expected
/// commands and replies, for what needs a real socket (TLS, timeouts, drops) and for the error paths a real Dovecot
/// cannot produce (garbled lines, refusals). <see cref="LoopbackServer.Completion"/> surfaces the script's assertion failures.
/// </summary>
public sealed class ScriptedPop3Server(Func<Pop3Script, Task> script, X509Certificate2? implicitTlsCertificate)
    : LoopbackServer(maxConnections: 1)
{
    private readonly Func<Pop3Script, Task> script = script;
    private readonly X509Certificate2? implicitTlsCertificate = implicitTlsCertificate;

    /// <summary>Starts a server that runs <paramref name="script"/> for the first connection.</summary>
    public static ScriptedPop3Server Start(Func<Pop3Script, Task> script, X509Certificate2? implicitTlsCertificate = null) =>
        new(script, implicitTlsCertificate);

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        client.NoDelay = true;
        Stream stream = client.GetStream();
        if (implicitTlsCertificate is not null)
        {
            var ssl = new SslStream(stream, false);
            await ssl.AuthenticateAsServerAsync(implicitTlsCertificate).ConfigureAwait(false);
            stream = ssl;
        }

        await using var s = new Pop3Script(client, stream);
        await script(s).ConfigureAwait(false);
    }
}
