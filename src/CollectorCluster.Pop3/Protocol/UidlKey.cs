using System.Security.Cryptography;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The key a message is known by, from the UIDL the server sent. RFC 1939 allows 1 to 70 printable characters
/// (0x21-0x7E); such a UIDL is its own key. Anything else (longer, or with spaces, controls or non-ASCII bytes) is
/// keyed by its SHA-256, <c>sha256:</c> and 64 hex digits: fixed in size, so a server cannot make the journal or
/// memory hold its long UIDLs, yet stable from session to session, so the message is still collected exactly once
/// and deleted only after it was delivered. At 71 characters the digest key is longer than any conforming UIDL, so
/// it can never stand for another message's real UIDL.
/// </summary>
internal static class UidlKey
{
    /// <summary>The longest UIDL RFC 1939 allows.</summary>
    public const int MaxLength = 70;

    /// <summary>What a digest key starts with.</summary>
    public const string DigestPrefix = "sha256:";

    /// <summary>The key for <paramref name="uidl"/> (not empty); <paramref name="conforming"/> is false when it was digested.</summary>
    public static string From(ReadOnlySpan<byte> uidl, out bool conforming)
    {
        conforming = uidl.Length is > 0 and <= MaxLength;
        foreach (var b in uidl)
        {
            if (b is < 0x21 or > 0x7E)
            {
                conforming = false;
                break;
            }
        }

        if (conforming)
        {
            return System.Text.Encoding.ASCII.GetString(uidl);
        }

        return DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(uidl));
    }
}
