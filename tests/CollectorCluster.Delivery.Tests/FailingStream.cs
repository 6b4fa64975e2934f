namespace CollectorCluster.Delivery.Tests;

/// <summary>Yields some bytes and then fails like a dropped POP3 connection, to check nothing half-written shows.</summary>
internal sealed class FailingStream(int bytesBeforeFailure, Exception failure) : Stream
{
    private int _given;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _given;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_given >= bytesBeforeFailure)
        {
            throw failure;
        }

        var n = Math.Min(count, bytesBeforeFailure - _given);
        Array.Fill(buffer, (byte)'x', offset, n);
        _given += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
