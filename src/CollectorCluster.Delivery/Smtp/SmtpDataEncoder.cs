namespace CollectorCluster.Delivery.Smtp;

/// <summary>
/// Turns message octets into the DATA wire form chunk by chunk, so a message of any size streams through a fixed
/// buffer: bare LF becomes CRLF, a line starting with '.' gets another '.' (RFC 5321 4.5.2), and
/// <see cref="Finish"/> ends the last line and appends the terminating <c>.CRLF</c>.
/// </summary>
internal sealed class SmtpDataEncoder
{
    private bool _atLineStart = true;
    private bool _afterCr;

    /// <summary>The most bytes <see cref="Encode"/> writes for <paramref name="inputLength"/> input bytes.</summary>
    public static int MaxEncodedLength(int inputLength) => inputLength * 2;

    /// <summary>Encodes <paramref name="input"/> into <paramref name="output"/> (at least <see cref="MaxEncodedLength"/> long).</summary>
    /// <returns>The number of bytes written.</returns>
    public int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var n = 0;
        foreach (var b in input)
        {
            if (_atLineStart && b == (byte)'.')
            {
                output[n++] = (byte)'.';
            }

            if (b == (byte)'\n' && !_afterCr)
            {
                output[n++] = (byte)'\r';
            }

            output[n++] = b;
            _atLineStart = b == (byte)'\n';
            _afterCr = b == (byte)'\r';
        }

        return n;
    }

    /// <summary>Completes the last line and writes the end-of-data mark; <paramref name="output"/> needs 5 bytes.</summary>
    /// <returns>The number of bytes written.</returns>
    public int Finish(Span<byte> output)
    {
        var n = 0;
        if (_afterCr)
        {
            output[n++] = (byte)'\n';
        }
        else if (!_atLineStart)
        {
            output[n++] = (byte)'\r';
            output[n++] = (byte)'\n';
        }

        output[n++] = (byte)'.';
        output[n++] = (byte)'\r';
        output[n++] = (byte)'\n';
        _atLineStart = true;
        _afterCr = false;
        return n;
    }
}
