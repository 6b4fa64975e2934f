using System.Buffers;
using System.Security.Cryptography;
using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// A read-only pass-through over a message being delivered that keeps its first bytes and hashes all of them, so the
/// header fingerprint (UIDL migrations) and the content digest (their proof) are computed on the way to the
/// destination, without a second read or a second copy of the message. The head buffer is rented (one per message
/// would be 64 KiB of zeroed garbage each) and goes back to the pool on dispose.
/// </summary>
internal sealed class FingerprintingStream(Stream inner, int capacity = 64 * 1024) : Stream
{
    private readonly int _capacity = capacity;
    private byte[]? _head = ArrayPool<byte>.Shared.Rent(capacity);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _length;
    private string? _digest;

    /// <summary>The fingerprint of what was read so far (the header block, when the delivery read the message).</summary>
    public string? Fingerprint => HeaderFingerprint.Compute(Head().AsSpan(0, _length));

    /// <summary>
    /// SHA-256 of everything read (<c>sha256:</c> + 64 hex digits); read once the message was read to its end
    /// (<see cref="ReadToEndAsync"/>): nothing is read after it.
    /// </summary>
    public string Digest => _digest ??= "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads what the consumer left (a destination that already held the message may stop early), for the digest.</summary>
    public Task ReadToEndAsync(CancellationToken cancellationToken) => CopyToAsync(Null, cancellationToken);

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (_head is { } head)
            {
                _head = null;
                ArrayPool<byte>.Shared.Return(head);
            }
        }

        base.Dispose(disposing);
    }

    private int Keep(ReadOnlySpan<byte> read)
    {
        _hash.AppendData(read);
        var head = Head();
        var room = Math.Min(read.Length, _capacity - _length);
        read[..room].CopyTo(head.AsSpan(_length));
        _length += room;
        return read.Length;
    }

    private byte[] Head() => _head ?? throw new ObjectDisposedException(nameof(FingerprintingStream));
}
