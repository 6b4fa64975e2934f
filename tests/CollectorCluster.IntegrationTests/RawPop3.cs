using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A deliberately dumb POP3 client (plain port, USER/PASS, UIDL/LIST, QUIT without DELE), independent of the
/// production engine, so what the server holds is observed without the code under test.
/// </summary>
internal static class RawPop3
{
    /// <summary>Message number to (UIDL, size) as the server lists them now.</summary>
    public static async Task<IReadOnlyList<(int Number, string Uidl, long Size)>> ListAsync(string host, int port, string user, string password, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, ct);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Command(string command)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), ct);
            var reply = await reader.ReadLineAsync(ct) ?? throw new IOException("connection closed");
            Assert.True(reply.StartsWith("+OK", StringComparison.Ordinal), $"{command.Split(' ')[0]}: {reply}");
            return reply;
        }

        async Task<List<string[]>> MultiLine(string command)
        {
            await Command(command);
            var lines = new List<string[]>();
            while (await reader.ReadLineAsync(ct) is { } line && line != ".")
            {
                lines.Add(line.Split(' '));
            }

            return lines;
        }

        Assert.StartsWith("+OK", await reader.ReadLineAsync(ct), StringComparison.Ordinal);
        await Command($"USER {user}");
        await Command($"PASS {password}");
        var uidls = (await MultiLine("UIDL")).ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => p[1]);
        var sizes = await MultiLine("LIST");
        await Command("QUIT");
        return sizes.Select(p =>
        {
            var number = int.Parse(p[0], CultureInfo.InvariantCulture);
            return (number, uidls[number], long.Parse(p[1], CultureInfo.InvariantCulture));
        }).ToList();
    }
}
