namespace CollectorCluster.Delivery.Mda;

/// <summary>
/// The whole environment a delivery program gets: not the node's (which holds every <c>password-env</c> secret and
/// whatever else the service manager set), but a fixed <c>PATH</c>, the node's <c>HOME</c>, <c>LANG=C.UTF-8</c>, and
/// what describes the message: <c>COLLECTOR_ACCOUNT</c> (the account id), <c>COLLECTOR_ID</c> (the
/// <c>X-CollectorCluster-Id</c> value, <c>cc.</c> and 32 hex digits) and <c>COLLECTOR_UIDL</c> (the server's UIDL,
/// only when it is RFC 1939's form: 1 to 70 characters 0x21–0x7E, since it is the server's text).
/// </summary>
public static class MdaEnvironment
{
    /// <summary>The fixed search path (the program itself is always an absolute path).</summary>
    public const string SearchPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The variables for one message, by name.</summary>
    /// <param name="accountId">The account (ids are letters, digits, '.', '_', '-').</param>
    /// <param name="uidl">The message's UIDL; null or empty when the server gave none.</param>
    /// <param name="home">The node's home directory; null or empty gives <c>/</c>.</param>
    public static IReadOnlyDictionary<string, string> For(string accountId, string? uidl, string? home)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath,
            ["HOME"] = string.IsNullOrEmpty(home) ? "/" : home,
            ["LANG"] = "C.UTF-8",
            ["COLLECTOR_ACCOUNT"] = accountId,
        };
        if (!string.IsNullOrEmpty(uidl))
        {
            variables["COLLECTOR_ID"] = DeliveryTrace.Id(accountId, uidl);
            if (uidl.Length is >= 1 and <= 70 && uidl.All(c => c is >= '!' and <= '~'))
            {
                variables["COLLECTOR_UIDL"] = uidl;
            }
        }

        return variables;
    }
}
