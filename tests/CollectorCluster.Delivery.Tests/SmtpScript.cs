using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Delivery.Tests;

/// <summary>The server side of one scripted SMTP connection: read what the client sends, answer as the test says.</summary>
internal sealed class SmtpScript(TcpClient client) : ServerConnection(client, client.GetStream())
{
    /// <summary>Every command line received, in order (DATA payload excluded).</summary>
    public List<string> Commands { get; } = [];

    /// <summary>Greets with <paramref name="banner"/>, expects the client's <paramref name="hello"/> (EHLO or LHLO) and answers with <paramref name="capabilities"/>.</summary>
    public async Task GreetAsync(string banner, string hello, string capabilities)
    {
        await SendAsync(banner);
        await ExpectAsync(hello + " ");
        await SendAsync(capabilities);
    }

    /// <summary>Reads a command line and checks it starts with <paramref name="prefix"/>.</summary>
    public async Task<string> ExpectAsync(string prefix)
    {
        var line = await ReadLineAsync() ?? throw new InvalidOperationException($"connection closed; expected '{prefix}'");
        Commands.Add(line);
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>Reads the DATA payload up to the lone "." line; returns it as sent (stuffed, CRLF), or null if the client closed first.</summary>
    public async Task<string?> ReadDataAsync()
    {
        var data = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line is null)
            {
                return null;
            }

            if (line == ".")
            {
                return data.ToString();
            }

            data.Append(line).Append("\r\n");
        }
    }

    /// <summary>True when the client closed the connection without sending anything more.</summary>
    public async Task<bool> ClosedAsync() => await ReadLineAsync() is null;
}
