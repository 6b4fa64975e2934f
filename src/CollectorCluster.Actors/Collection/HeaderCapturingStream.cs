using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// A read-only pass-through over a message being delivered that keeps its first bytes, so the header fingerprint
/// is computed on the way to the destination without a second read or a second copy of the message.
/// </summary>
internal sealed class HeaderCapturingStream(Stream inner, int capacity = 64 * 1024) : Stream
{
    private readonly byte[] _head = new byte[capacity];
    private int _length;

    /// <summary>The fingerprint of what was read so far (the header block, when the delivery read the message).</summary>
    public string? Fingerprint => HeaderFingerprint.Compute(_head.AsSpan(0, _length));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Keep(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Keep(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Keep(ReadOnlySpan<byte> read)
    {
        var room = Math.Min(read.Length, _head.Length - _length);
        read[..room].CopyTo(_head.AsSpan(_length));
        _length += room;
        return read.Length;
    }
}
