using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>Reads what Dovecot stored, to compare it with what was sent.</summary>
internal static class DeliveredMail
{
    /// <summary>Every message file in the user's Maildir (new/ and cur/), oldest name first.</summary>
    public static IReadOnlyList<byte[]> Read(DovecotServer server, string user)
    {
        var maildir = server.MaildirPath(user);
        return new[] { "new", "cur" }
            .Select(d => Path.Combine(maildir, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
    }

    /// <summary>
    /// What Dovecot stores for a message we sent: Dovecot writes LF line endings and prepends its own trace
    /// headers (Return-Path, Delivered-To, Received) above ours; the original header and body follow unchanged.
    /// Over LMTP/SMTP (<paramref name="overTheWire"/>) a last line without a line ending gets one: DATA needs it.
    /// </summary>
    public static byte[] ExpectedTail(string accountId, string? uidl, byte[] original, bool overTheWire = true)
    {
        var text = Encoding.Latin1.GetString(original).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (overTheWire && !text.EndsWith('\n'))
        {
            text += "\n";
        }

        return [.. DeliveryTrace.HeaderLine(accountId, uidl, "\n"), .. Encoding.Latin1.GetBytes(text)];
    }

    /// <summary>True when <paramref name="stored"/> ends with exactly <paramref name="tail"/>.</summary>
    public static bool EndsWith(byte[] stored, byte[] tail) => stored.AsSpan().EndsWith(tail);

    /// <summary>A message that exercises dot-stuffing, 8-bit octets and a last line without CRLF.</summary>
    public static byte[] Tricky(int seed) => Encoding.Latin1.GetBytes(
        $"Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: a@example.org\r\nTo: b@example.org\r\nSubject: tricky {seed}\r\nMessage-ID: <tricky-{seed}@test>\r\n"
        + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + ".\r\n..\r\n.leading dot\r\nmiddle . dot\r\nSm\u00f8rrebr\u00f8d \u00e9t\u00e9\r\n\r\n.\r\nlast line without newline");
}
