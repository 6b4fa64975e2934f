using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// Deterministic Maildir file names: <c>cc.</c> + the first 32 lower-case hex digits of
/// SHA-256(UTF-8(seed + "\n" + key)), where the seed is the mailbox scope's (<see cref="Core.Delivery.MailboxScope.NameSeed"/>:
/// account + server + user, or the account alone for a mailbox collected before identities existed, which is the name
/// every earlier version wrote). No time, pid or host name goes in, so a re-run after a crash between delivery and the
/// journal write (on any node) computes the same name and finds the message instead of delivering it twice; the seed
/// keeps two accounts, or two mailboxes of one account, with equal UIDLs apart.
/// </summary>
public static class MaildirNames
{
    /// <summary>The prefix of every file this collector writes (new/, cur/ and tmp/).</summary>
    public const string Prefix = "cc.";

    /// <summary>Suffix of files being written in tmp/.</summary>
    public const string TempSuffix = ".tmp";

    private const int HexDigits = 32;

    /// <summary>The base file name (without the <c>:2,flags</c> info part) for a message of a mailbox scope.</summary>
    /// <param name="seed">The scope's name seed (the account id alone for account-only names).</param>
    /// <param name="key">The UIDL, the content key (<c>sha256:…</c>) when the server gave none, or a reused UIDL's content-qualified key (<see cref="ReusedKey"/>).</param>
    public static string BaseName(string seed, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(seed);
        ArgumentException.ThrowIfNullOrEmpty(key);

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(seed, "\n", key)));
        return Prefix + Convert.ToHexStringLower(hash, 0, HexDigits / 2);
    }

    /// <summary>The content key for a message without a UIDL: <c>sha256:</c> + the full lower-case hex digest.</summary>
    public static string ContentKey(ReadOnlySpan<byte> sha256) => "sha256:" + Convert.ToHexStringLower(sha256);

    /// <summary>
    /// The key of a message whose UIDL's name already holds another message (a server that reused the UIDL): the UIDL,
    /// a newline (never part of a UIDL) and its content key, so it gets a name of its own.
    /// </summary>
    public static string ReusedKey(string uidl, ReadOnlySpan<byte> sha256) => uidl + "\n" + ContentKey(sha256);

    /// <summary>
    /// The base name of a file found in new/ or cur/: everything before the Maildir info separator (<c>:</c>) or a
    /// size/extra field (<c>,</c>) some readers append. Null when the file is not one of ours.
    /// </summary>
    public static string? BaseOf(string fileName)
    {
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = fileName.AsSpan().IndexOfAny(':', ',');
        return end < 0 ? fileName : fileName[..end];
    }
}
