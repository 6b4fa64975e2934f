using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Delivery.Tests;

/// <summary>The server side of one scripted connection: read what the client sends, answer as the test says.</summary>
internal sealed class SmtpScript(TcpClient client) : IAsyncDisposable
{
    private readonly NetworkStream _stream = client.GetStream();
    private readonly List<byte> _pending = [];

    /// <summary>Every command line received, in order (DATA payload excluded).</summary>
    public List<string> Commands { get; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends one reply line (CRLF added).</summary>
    public async Task SendAsync(string line) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), Ct);

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

    /// <summary>Closes the connection abruptly.</summary>
    public void Drop() => client.Client.Close(0);

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<string?> ReadLineAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_pending.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, Ct);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }
}
