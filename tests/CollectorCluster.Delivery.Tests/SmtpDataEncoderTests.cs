using System.Text;
using CollectorCluster.Delivery.Smtp;

namespace CollectorCluster.Delivery.Tests;

public sealed class SmtpDataEncoderTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\nb\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\r\nb", "a\r\nb\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData("x\r\n.\r\ny\r\n", "x\r\n..\r\ny\r\n.\r\n")]
    [InlineData("x\r\n..two\r\n", "x\r\n...two\r\n.\r\n")]
    [InlineData(".first", "..first\r\n.\r\n")]
    [InlineData("a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n")]
    [InlineData("mixed\nline\r\n.end\n", "mixed\r\nline\r\n..end\r\n.\r\n")]
    [InlineData("ends with cr\r", "ends with cr\r\n.\r\n")]
    [InlineData("bare\rcr\r\n", "bare\rcr\r\n.\r\n")]
    public void Encodes_line_endings_dot_stuffing_and_the_end_mark(string input, string expected)
    {
        Assert.Equal(expected, Encode(Encoding.Latin1.GetBytes(input), chunk: int.MaxValue));
    }

    [Fact]
    public void Output_does_not_depend_on_how_the_input_is_chunked()
    {
        var random = new Random(42);
        var alphabet = Encoding.ASCII.GetBytes(".\r\nab. ");
        for (var round = 0; round < 200; round++)
        {
            var input = Enumerable.Range(0, random.Next(0, 300)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var whole = Encode(input, int.MaxValue);
            for (var chunk = 1; chunk <= 7; chunk++)
            {
                Assert.Equal(whole, Encode(input, chunk));
            }

            // Undoing the stuffing gives the input back, with CRLF line endings.
            Assert.Equal(Normalise(Encoding.Latin1.GetString(input)), Unstuff(whole));
        }
    }

    private static string Encode(byte[] input, int chunk)
    {
        var encoder = new SmtpDataEncoder();
        var output = new List<byte>();
        var buffer = new byte[SmtpDataEncoder.MaxEncodedLength(Math.Max(1, Math.Min(chunk, input.Length))) + 5];
        for (var i = 0; i < input.Length; i += chunk)
        {
            var part = input.AsSpan(i, Math.Min(chunk, input.Length - i));
            var n = encoder.Encode(part, buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var end = encoder.Finish(buffer);
        output.AddRange(buffer.AsSpan(0, end).ToArray());
        return Encoding.Latin1.GetString(output.ToArray());
    }

    // The expected wire form of any input: LF → CRLF (CRLF kept), a final line ending added.
    private static string Normalise(string text)
    {
        var crlf = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                crlf.Append('\r');
            }

            crlf.Append(text[i]);
        }

        var s = crlf.ToString();
        if (s.EndsWith('\r'))
        {
            s += "\n";
        }
        else if (s.Length > 0 && !s.EndsWith("\r\n", StringComparison.Ordinal))
        {
            s += "\r\n";
        }

        return s;
    }

    // A receiver's view (RFC 5321 4.5.2): split on CRLF, stop at ".", drop one leading dot.
    private static string Unstuff(string wire)
    {
        Assert.EndsWith("\r\n.\r\n", "\r\n" + wire, StringComparison.Ordinal);
        var body = wire[..^3];
        var lines = body.Split("\r\n");
        var result = new StringBuilder();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            Assert.NotEqual(".", line);
            result.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        return result.ToString();
    }
}
