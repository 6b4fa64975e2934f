using System.Buffers;
using System.Text;

namespace CollectorCluster.Wire;

/// <summary>
/// Reads the wire's lines from a stream with a bound on each line's length, counted in bytes before anything is
/// decoded or parsed: a line longer than the bound, a line that is not UTF-8, or one that starts with a byte-order
/// mark is a <see cref="WireFormatException"/>, never a reason to buffer without end or to guess an encoding.
/// A line ends at LF; a CR before it is dropped.
/// </summary>
public sealed class WireLineReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private byte[]? _line;
    private int _lineLength;

    /// <summary>Creates a reader over <paramref name="stream"/> that refuses lines longer than <paramref name="maxLineBytes"/>.</summary>
    public WireLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The next line without its end; null at the end of the stream (a last line without LF counts as a line).</summary>
    /// <exception cref="WireFormatException">The line is too long, not UTF-8, or starts with a byte-order mark.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _lineLength = 0;
        while (true)
        {
            var found = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            var newline = found >= 0 ? _start + found : -1;
            var take = (newline >= 0 ? newline : _end) - _start;
            Append(take);
            if (newline >= 0)
            {
                _start = newline + 1;
                return Decode();
            }

            _start = _end = 0;
            var read = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return _lineLength > 0 ? Decode() : null;
            }

            _end = read;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        if (_line is not null)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = null;
        }
    }

    /// <summary>Moves <paramref name="count"/> buffered bytes into the line, refusing it once it passes the bound.</summary>
    private void Append(int count)
    {
        if (_lineLength + count > _maxLineBytes)
        {
            throw new WireFormatException($"a line longer than {_maxLineBytes} bytes");
        }

        if (count == 0)
        {
            return;
        }

        if (_line is null || _line.Length < _lineLength + count)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxLineBytes, Math.Max(_lineLength + count, (_line?.Length ?? 0) * 2)));
            if (_line is not null)
            {
                _line.AsSpan(0, _lineLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_line);
            }

            _line = grown;
        }

        _buffer.AsSpan(_start, count).CopyTo(_line.AsSpan(_lineLength));
        _lineLength += count;
    }

    private string Decode()
    {
        var bytes = _line is null ? [] : _line.AsSpan(0, _lineLength);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new WireFormatException("a line starting with a byte-order mark (the wire is UTF-8 without one)");
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new WireFormatException("a line that is not UTF-8");
        }
    }
}
