using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Core.Routing;

/// <summary>
/// What makes two copies "the same message" for duplicate suppression: the Message-ID plus a digest of the body.
/// Copies of one message differ in their trace and envelope headers (Received, Delivered-To) but not in these, while two
/// different messages that reuse a Message-ID (broken senders) still differ in their bodies.
/// </summary>
public static class DuplicateKey
{
    /// <summary>
    /// The key (<c>dup:</c> + 32 hex digits), or null when the message has no usable Message-ID: such a message is never
    /// taken for a duplicate of another (a body alone is too weak an identity).
    /// </summary>
    /// <param name="messageId">The Message-ID field's value as found (angle brackets, comments and folding allowed).</param>
    /// <param name="bodySha256">SHA-256 of the body (everything after the empty line ending the header).</param>
    public static string? For(string? messageId, ReadOnlySpan<byte> bodySha256)
    {
        var id = Normalize(messageId);
        if (id is null)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id + "\n" + Convert.ToHexStringLower(bodySha256)));
        return "dup:" + Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>The key under which a message without a Message-ID is remembered: only its own source (account and UIDL) matches it.</summary>
    public static string ForSource(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return "src:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)), 0, 16);
    }

    /// <summary>The msg-id inside the first angle brackets (or the trimmed value without them); null when empty.</summary>
    public static string? Normalize(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return null;
        }

        var text = messageId.Trim();
        var open = text.IndexOf('<', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf('>', open + 1);
        if (open >= 0 && close > open + 1)
        {
            text = text[(open + 1)..close];
        }

        text = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        return text.Length is > 0 and <= 998 && text.Contains('@', StringComparison.Ordinal) ? text : null;
    }
}
