using System.Buffers;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The read-only view of one RETR body handed to the consumer: the message's octets as stored, dot-unstuffed,
/// terminator removed, served straight from the wire's buffer so no message is ever held whole in memory.
/// It is valid only inside the consume callback.
/// </summary>
internal sealed class Pop3MessageStream : Stream
{
    private Pop3Wire? _wire;
    private long _position;

    /// <summary>Binds the stream to the wire whose current body it reads.</summary>
    public Pop3MessageStream(Pop3Wire wire) => _wire = wire;

    /// <inheritdoc />
    public override bool CanRead => _wire is not null;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Ends the stream's validity when the consume callback returns.</summary>
    public void Detach() => _wire = null;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wire = _wire ?? throw new ObjectDisposedException(nameof(Pop3MessageStream), "The message stream is valid only inside the consume callback.");
        cancellationToken.ThrowIfCancellationRequested();
        var n = await wire.ReadBodyAsync(buffer).ConfigureAwait(false);
        _position += n;
        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, Pop3Wire.BufferSize));
        try
        {
            var n = Read(rented, 0, Math.Min(buffer.Length, rented.Length));
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
