using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Pop3.Tests;

/// <summary>The server side of one scripted POP3 connection: expect a command, send a reply.</summary>
public sealed class Pop3Script(TcpClient client, Stream stream) : ServerConnection(client, stream)
{
    /// <summary>Reads one command and asserts it.</summary>
    public async Task ExpectAsync(string command)
    {
        var line = await ReadLineAsync().ConfigureAwait(false);
        Assert.Equal(command, line);
    }

    /// <summary>Expects a command and answers it.</summary>
    public async Task ExpectAsync(string command, string reply)
    {
        await ExpectAsync(command).ConfigureAwait(false);
        await SendAsync(reply).ConfigureAwait(false);
    }

    /// <summary>
    /// Greeting, CAPA, USER/PASS, CAPA: the common path to the TRANSACTION state. The second CAPA lists
    /// <paramref name="capaAfterLogin"/> when given (Gmail advertises more once logged in), else <paramref name="capa"/> again.
    /// </summary>
    public async Task LoginAsync(string capa = "UIDL\r\nTOP\r\nRESP-CODES", string user = "fred", string password = "s3cret", string? capaAfterLogin = null)
    {
        await SendAsync("+OK POP3 ready").ConfigureAwait(false);
        await ExpectAsync("CAPA", "+OK\r\n" + capa + "\r\n.").ConfigureAwait(false);
        await ExpectAsync("USER " + user, "+OK").ConfigureAwait(false);
        await ExpectAsync("PASS " + password, "+OK logged in").ConfigureAwait(false);
        await ExpectAsync("CAPA", "+OK\r\n" + (capaAfterLogin ?? capa) + "\r\n.").ConfigureAwait(false);
    }

    /// <summary>Sends a RETR reply: +OK, the body dot-stuffed, the terminator.</summary>
    public Task SendMessageAsync(string body)
    {
        var sb = new StringBuilder("+OK message follows\r\n");
        foreach (var line in body.Split("\r\n")[..^1])
        {
            sb.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        sb.Append(".\r\n");
        return SendRawAsync(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
