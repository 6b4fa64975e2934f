using System.Text;

namespace CollectorCluster.Wire.Tests;

/// <summary>The wire's bounded line reader: lines as sent, and every malformed input refused before it is buffered or decoded.</summary>
public sealed class WireLineReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_lines_ending_in_lf_or_crlf_and_a_last_line_without_one()
    {
        using var reader = new WireLineReader(new MemoryStream("one\ntwo\r\n\nthree"u8.ToArray()), 64);
        Assert.Equal("one", await reader.ReadLineAsync(Ct));
        Assert.Equal("two", await reader.ReadLineAsync(Ct));
        Assert.Equal("", await reader.ReadLineAsync(Ct));
        Assert.Equal("three", await reader.ReadLineAsync(Ct));
        Assert.Null(await reader.ReadLineAsync(Ct));
    }

    [Fact]
    public async Task A_line_split_over_many_reads_and_multibyte_characters_across_reads_arrive_whole()
    {
        var text = "{\"command\":\"collector show\",\"args\":[\"älpha-ü-€-😀\"]}";
        using var reader = new WireLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text + "\nnext\n")), 1024);
        Assert.Equal(text, await reader.ReadLineAsync(Ct));
        Assert.Equal("next", await reader.ReadLineAsync(Ct));
    }

    [Fact]
    public async Task A_line_of_exactly_the_bound_is_read_and_one_byte_more_is_refused()
    {
        using (var reader = new WireLineReader(new MemoryStream(Encoding.ASCII.GetBytes(new string('a', 100) + "\n")), 100))
        {
            Assert.Equal(100, (await reader.ReadLineAsync(Ct))!.Length);
        }

        using var refused = new WireLineReader(new MemoryStream(Encoding.ASCII.GetBytes(new string('a', 101) + "\n")), 100);
        var e = await Assert.ThrowsAsync<WireFormatException>(async () => await refused.ReadLineAsync(Ct));
        Assert.Contains("longer than 100 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_line_is_refused_after_reading_little_more_than_the_bound()
    {
        var endless = new EndlessStream();
        using var reader = new WireLineReader(endless, 64 * 1024);
        await Assert.ThrowsAsync<WireFormatException>(async () => await reader.ReadLineAsync(Ct));
        Assert.InRange(endless.Served, 64 * 1024, (64 * 1024) + (16 * 1024));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0, (byte)'\n' }, "byte-order mark")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'{', (byte)'\n' }, "byte-order mark")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}', (byte)'\n' }, "byte-order mark")]
    [InlineData(new byte[] { (byte)'{', 0xC3, (byte)'}', (byte)'\n' }, "not UTF-8")]
    [InlineData(new byte[] { (byte)'{', 0xED, 0xA0, 0x80, (byte)'}', (byte)'\n' }, "not UTF-8")]
    [InlineData(new byte[] { 0x80, (byte)'\n' }, "not UTF-8")]
    public async Task A_byte_order_mark_or_bytes_that_are_not_utf8_are_refused(byte[] bytes, string why)
    {
        using var reader = new WireLineReader(new MemoryStream(bytes), 1024);
        var e = await Assert.ThrowsAsync<WireFormatException>(async () => await reader.ReadLineAsync(Ct));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Serves its bytes one at a time.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _at; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_at >= bytes.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = bytes[_at++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An endless line of 'x', counting what it served.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
