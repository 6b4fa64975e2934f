using System.Security.Cryptography;

namespace CollectorCluster.Pop3.Tests;

/// <summary>A 50 MB message streams through in bounded memory, byte-exact.</summary>
[Collection(NonParallelCollection.Name)]
public sealed class LargeMessageTests
{
    private const int LineLength = 78;
    private const int LineCount = 50 * 1024 * 1024 / (LineLength + 2);

    /// <summary>Writes line <paramref name="k"/> of the generated message (without stuffing) into <paramref name="line"/>.</summary>
    private static void MakeLine(int k, Span<byte> line)
    {
        line.Fill((byte)('A' + (k % 26)));
        if (k % 7 == 0)
        {
            line[0] = (byte)'.'; // must be dot-stuffed on the wire
        }

        line[LineLength] = (byte)'\r';
        line[LineLength + 1] = (byte)'\n';
    }

    private static async Task SendHugeAsync(Stream stream)
    {
        var chunk = new byte[64 * 1024];
        var used = 0;
        var line = new byte[LineLength + 2];
        for (var k = 0; k < LineCount; k++)
        {
            MakeLine(k, line);
            if (used + line.Length + 1 > chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, used));
                used = 0;
            }

            if (line[0] == (byte)'.')
            {
                chunk[used++] = (byte)'.';
            }

            line.CopyTo(chunk.AsSpan(used));
            used += line.Length;
        }

        "\r\n.\r\n"u8[2..].CopyTo(chunk.AsSpan(used));
        used += 3;
        await stream.WriteAsync(chunk.AsMemory(0, used));
        await stream.FlushAsync();
    }

    [Fact]
    public async Task Fifty_megabyte_message_streams_with_bounded_allocation()
    {
        var ct = TestContext.Current.CancellationToken;
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new byte[LineLength + 2];
        for (var k = 0; k < LineCount; k++)
        {
            MakeLine(k, line);
            expectedHash.AppendData(line);
        }

        var expected = expectedHash.GetHashAndReset();
        const long size = (long)LineCount * (LineLength + 2);

        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("RETR 1");
            await s.SendAsync($"+OK {size} octets");
            await SendHugeAsync(s.Stream);
            await s.ExpectAsync("QUIT", "+OK");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), ct);

        using var actualHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long received = 0;
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await session.RetrieveAsync([new(1, "big", size)], async (_, stream, c) =>
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, c)) > 0)
            {
                actualHash.AppendData(buffer, 0, n);
                received += n;
            }
        }, ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(size, received);
        Assert.Equal(expected, actualHash.GetHashAndReset());
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated:N0} bytes for a {size:N0}-byte message");
        Assert.True(await session.QuitAsync(ct));
        await server.Completion;
    }
}
