using System.Globalization;

namespace CollectorCluster.Core.Policy;

/// <summary>
/// Reads the server's EXPIRE capability (RFC 2449 6.7) against the account's leave-on-server settings and says
/// when they cannot be kept (Gmail advertises <c>EXPIRE 0</c>). The server's word wins; we only warn.
/// </summary>
public static class ExpireAdvice
{
    /// <summary>A warning for the operator, or null when EXPIRE is absent, NEVER, or compatible with the settings.</summary>
    /// <param name="expire">The EXPIRE argument as advertised ("0", "30 USER", "NEVER"), or null.</param>
    /// <param name="leaveOnServer">leave-mail-on-server.</param>
    /// <param name="deleteAfterDays">delete-after, or null for "keep until the server drops it".</param>
    public static string? Warning(string? expire, bool leaveOnServer, int? deleteAfterDays)
    {
        if (!leaveOnServer || string.IsNullOrWhiteSpace(expire))
        {
            return null;
        }

        var first = expire.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (first.Equals("NEVER", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            return $"the server advertises an unreadable EXPIRE '{expire}'; leave-mail-on-server may not be honoured";
        }

        if (days == 0)
        {
            return "the server advertises EXPIRE 0: it removes messages once they are retrieved, so leave-mail-on-server (and delete-after) cannot work";
        }

        if (deleteAfterDays is null)
        {
            return $"the server advertises EXPIRE {days}: it removes retrieved messages after {days} day(s), so leave-mail-on-server keeps them only that long";
        }

        return deleteAfterDays > days
            ? $"the server advertises EXPIRE {days}: it removes retrieved messages after {days} day(s), sooner than delete-after = {deleteAfterDays}"
            : null;
    }

    /// <summary>
    /// How long after retrieval the server removes a message by itself, by its EXPIRE (RFC 2449 6.7): zero for
    /// <c>EXPIRE 0</c>, N days for <c>EXPIRE N</c>; null when it keeps them (<c>NEVER</c>, not advertised, unreadable).
    /// A message retrieved longer ago than that may be missing from a listing without anyone having deleted it.
    /// </summary>
    public static TimeSpan? RemovesRetrievedAfter(string? expire)
    {
        if (string.IsNullOrWhiteSpace(expire))
        {
            return null;
        }

        var first = expire.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? TimeSpan.FromDays(days) : null;
    }
}
