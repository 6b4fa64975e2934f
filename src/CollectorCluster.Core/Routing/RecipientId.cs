using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Core.Routing;

/// <summary>
/// The identity of a local recipient for duplicate suppression: its destination (the mailbox its mail lands in), so two
/// multidrop accounts that deliver "ann" to the same place share one memory, and two unrelated "ann"s never do.
/// </summary>
public static class RecipientId
{
    /// <summary><c>rcpt-</c> + 32 hex digits of SHA-256 over the destination spec as parsed (normalised).</summary>
    public static string For(string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        return "rcpt-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(destination)), 0, 16);
    }

    /// <summary>The source of a copy: the account and the message's UIDL (or content key).</summary>
    public static string Source(string accountId, string key) => $"{accountId}/{key}";
}
