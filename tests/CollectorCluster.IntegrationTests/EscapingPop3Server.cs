using System.Net.Sockets;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A POP3 server that answers the login with terminal escape sequences in its text (clear screen, set the window
/// title, ring the bell, a carriage return that would overwrite the line): what reaches logs and terminals from it
/// must arrive defused. It never lets anyone in.
/// </summary>
internal sealed class EscapingPop3Server() : LoopbackServer()
{
    /// <summary>The text of the -ERR reply to PASS, escapes included.</summary>
    public const string Refusal = "-ERR [AUTH] \u001b[2J\u001b]0;owned\u0007 denied by hostile\rforged: all good";

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var connection = new ServerConnection(client, client.GetStream());
        await connection.SendAsync("+OK \u001b[31mhostile\u001b[0m ready");
        while (await connection.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "CAPA":
                    await connection.SendAsync("+OK capabilities follow");
                    await connection.SendAsync("USER");
                    await connection.SendAsync("RESP-CODES");
                    await connection.SendAsync(".");
                    break;
                case "USER":
                    await connection.SendAsync("+OK \u001b[5msend the password\u001b[0m");
                    break;
                case "PASS":
                    await connection.SendAsync(Refusal);
                    break;
                case "QUIT":
                    await connection.SendAsync("+OK bye");
                    return;
                default:
                    await connection.SendAsync("-ERR \u001b[2J unknown");
                    break;
            }
        }
    }
}
