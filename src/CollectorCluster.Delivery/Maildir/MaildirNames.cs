using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// Deterministic Maildir file names: <c>cc.</c> + the first 32 lower-case hex digits of
/// SHA-256(UTF-8(accountId + "\n" + key)). No time, pid or host name goes in, so a re-run after a crash between
/// delivery and the journal write (on any node) computes the same name and finds the message instead of
/// delivering it twice; the account id keeps two accounts with equal UIDLs apart.
/// </summary>
public static class MaildirNames
{
    /// <summary>The prefix of every file this collector writes (new/, cur/ and tmp/).</summary>
    public const string Prefix = "cc.";

    /// <summary>Suffix of files being written in tmp/.</summary>
    public const string TempSuffix = ".tmp";

    private const int HexDigits = 32;

    /// <summary>The base file name (without the <c>:2,flags</c> info part) for a message of an account.</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="key">The UIDL, or the content key (<c>sha256:…</c>) when the server gave none.</param>
    public static string BaseName(string accountId, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(key);

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(accountId, "\n", key)));
        return Prefix + Convert.ToHexStringLower(hash, 0, HexDigits / 2);
    }

    /// <summary>The content key for a message without a UIDL: <c>sha256:</c> + the full lower-case hex digest.</summary>
    public static string ContentKey(ReadOnlySpan<byte> sha256) => "sha256:" + Convert.ToHexStringLower(sha256);

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
