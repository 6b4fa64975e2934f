using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Routing;
using CollectorCluster.Delivery.Multidrop;

namespace CollectorCluster.Delivery.Tests.Multidrop;

public sealed class MessageSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("To: a@x\r\nMessage-ID: <1@x>\r\n\r\nbody\r\nmore\r\n", 1)]
    [InlineData("To: a@x\nMessage-ID: <1@x>\n\nbody\nmore\n", 1)]
    [InlineData("To: a@x\r\n\r\n", 3)]
    [InlineData("\r\nno header at all", 2)]
    [InlineData("To: a@x\r\nno empty line", 7)]
    public async Task The_body_digest_is_the_digest_of_what_follows_the_header_in_any_chunking(string message, int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        var start = HeaderBlock.BodyStart(bytes);
        var expected = SHA256.HashData(start < 0 ? bytes : bytes[start..]);
        await using var spool = await MessageSpool.WriteAsync(new TrickleStream(bytes, chunk), _dir.Path, "acct", Ct);
        Assert.Equal(expected, spool.BodySha256);
        Assert.Equal(SHA256.HashData(bytes), spool.Sha256);
        Assert.Equal(bytes.Length, spool.Length);
        Assert.Equal(bytes, spool.Head);
        await using var copy = spool.OpenRead();
        var read = new MemoryStream();
        await copy.CopyToAsync(read, Ct);
        Assert.Equal(bytes, read.ToArray());
    }

    [Fact]
    public async Task The_spool_file_is_private_and_gone_once_disposed()
    {
        var spool = await MessageSpool.WriteAsync(new MemoryStream("To: a@x\r\n\r\nb"u8.ToArray()), _dir.Path, "acct", Ct);
        var file = Assert.Single(Directory.EnumerateFiles(_dir.Path));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        await spool.DisposeAsync();
        Assert.Empty(Directory.EnumerateFiles(_dir.Path));
    }

    [Fact]
    public async Task Only_the_head_is_kept_in_memory()
    {
        var big = new byte[MessageSpool.HeadLimit * 3];
        Array.Fill(big, (byte)'a');
        await using var spool = await MessageSpool.WriteAsync(new MemoryStream(big), _dir.Path, "acct", Ct);
        Assert.Equal(MessageSpool.HeadLimit, spool.Head.Length);
        Assert.Equal(big.Length, spool.Length);
    }

    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
