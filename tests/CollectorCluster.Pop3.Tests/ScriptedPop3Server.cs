using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// A protocol-level test double: a one-connection POP3 server on 127.0.0.1:0 that runs a script of expected
/// commands and replies. It produces the error paths a real Dovecot cannot (garbled lines, drops, refusals).
/// </summary>
public sealed class ScriptedPop3Server : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _run;

    private ScriptedPop3Server(Func<Pop3Script, Task> script, X509Certificate2? implicitTlsCertificate)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = RunAsync(script, implicitTlsCertificate);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Starts a server that runs <paramref name="script"/> for the first connection.</summary>
    public static ScriptedPop3Server Start(Func<Pop3Script, Task> script, X509Certificate2? implicitTlsCertificate = null) =>
        new(script, implicitTlsCertificate);

    /// <summary>Waits for the script to finish and surfaces its assertion failures.</summary>
    public Task Completion => _run;

    private async Task RunAsync(Func<Pop3Script, Task> script, X509Certificate2? certificate)
    {
        using var client = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
        client.NoDelay = true;
        Stream stream = client.GetStream();
        if (certificate is not null)
        {
            var ssl = new SslStream(stream, false);
            await ssl.AuthenticateAsServerAsync(certificate).ConfigureAwait(false);
            stream = ssl;
        }

        await using var s = new Pop3Script(client, stream);
        await script(s).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Tests that care await Completion themselves; a client hang-up is normal in error-path tests.
        }
    }
}
