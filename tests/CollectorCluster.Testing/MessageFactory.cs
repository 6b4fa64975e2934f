using System.Globalization;
using System.Text;

namespace CollectorCluster.Testing;

/// <summary>
/// Builds valid RFC 5322 messages of an exact size with deterministic bodies, including lines that start
/// with '.', a line that is only '.', and '..', so POP3 dot-stuffing is exercised end to end.
/// </summary>
public static class MessageFactory
{
    /// <summary>The smallest size <see cref="Create"/> accepts (headers plus a minimal body).</summary>
    public const int MinimumSize = 512;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;-";
    private static long counter;

    /// <summary>
    /// Creates a message of exactly <paramref name="size"/> bytes. The body depends only on
    /// <paramref name="seed"/> and the size; the Message-ID is unique unless <paramref name="messageId"/> is given.
    /// </summary>
    public static TestMessage Create(int size, int seed, string? messageId = null, string? subject = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        // Fixed-width counter: the same seed and size give the same body (the padding depends on the header length).
        messageId ??= $"<cc-{seed}-{size}-{Interlocked.Increment(ref counter):D10}-{Guid.NewGuid():N}@collectorcluster.test>";
        subject ??= $"Test message seed {seed}, {size} bytes";

        var header = new StringBuilder()
            .Append("Return-Path: <sender@collectorcluster.test>\r\n")
            .Append("From: Test Sender <sender@collectorcluster.test>\r\n")
            .Append("To: Test Recipient <recipient@collectorcluster.test>\r\n")
            .Append("Subject: ").Append(subject).Append("\r\n")
            .Append("Date: ").Append(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(seed & 0xFFFF)
                .ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: ").Append(messageId).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=us-ascii\r\n")
            .Append("Content-Transfer-Encoding: 7bit\r\n")
            .Append("X-CC-Seed: ").Append(seed.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("\r\n")
            .ToString();

        var headerBytes = Encoding.ASCII.GetByteCount(header);
        var remaining = size - headerBytes;
        if (remaining < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Size too small for the headers.");
        }

        var body = new StringBuilder(remaining);
        var random = new Random(seed);
        var line = 0;
        while (true)
        {
            var left = remaining - body.Length;
            if (left <= 80)
            {
                // Final line: pad to the exact size (at least "x\r\n").
                body.Append('.', 1).Append('z', left - 3).Append("\r\n");
                break;
            }

            switch (line % 17)
            {
                case 3:
                    body.Append(".\r\n"); // would end the message if not stuffed
                    break;
                case 7:
                    body.Append("..\r\n");
                    break;
                case 11:
                    body.Append(".leading dot line ").Append(line.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                    break;
                default:
                    var length = random.Next(20, 77);
                    for (var i = 0; i < length; i++)
                    {
                        body.Append(Alphabet[random.Next(Alphabet.Length)]);
                    }

                    body.Append("\r\n");
                    break;
            }

            line++;
        }

        var bytes = Encoding.ASCII.GetBytes(header + body);
        return bytes.Length == size
            ? new TestMessage(messageId, bytes)
            : throw new InvalidOperationException($"Generated {bytes.Length} bytes instead of {size}.");
    }

    /// <summary>
    /// Sizes for a realistic mailbox: <paramref name="count"/> values log-uniformly spread between
    /// <paramref name="minSize"/> and <paramref name="maxSize"/>, deterministic for a seed.
    /// </summary>
    public static IReadOnlyList<int> MixedSizes(int count = 1000, int minSize = 1024, int maxSize = 200 * 1024, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSize, MinimumSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, minSize);
        var random = new Random(seed);
        var logMin = Math.Log(minSize);
        var logMax = Math.Log(maxSize);
        var sizes = new int[count];
        for (var i = 0; i < count; i++)
        {
            sizes[i] = (int)Math.Clamp(Math.Round(Math.Exp(logMin + (random.NextDouble() * (logMax - logMin)))), minSize, maxSize);
        }

        return sizes;
    }

    /// <summary>
    /// Lazily generates the messages for <see cref="MixedSizes"/> (default: 1,000 messages, 1 KB to 200 KB),
    /// message i using seed <c>seed * 100003 + i</c>, so memory stays bounded while dropping them.
    /// </summary>
    public static IEnumerable<TestMessage> CreateMixedSet(int count = 1000, int minSize = 1024, int maxSize = 200 * 1024, int seed = 1)
    {
        var sizes = MixedSizes(count, minSize, maxSize, seed);
        for (var i = 0; i < sizes.Count; i++)
        {
            yield return Create(sizes[i], unchecked((seed * 100003) + i));
        }
    }
}
