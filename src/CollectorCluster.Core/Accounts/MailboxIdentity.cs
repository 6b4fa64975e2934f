namespace CollectorCluster.Core.Accounts;

/// <summary>
/// Which remote mailbox an account collects from: the server (lower case, as DNS names compare) and the login name
/// (as given: servers may tell users apart by case). The port and TLS are not part of it: 110 and 995 reach the same
/// mailbox. A message's identity is (account, mailbox, UIDL), so a UIDL of one mailbox never stands for another's.
/// </summary>
/// <param name="Server">The POP3 server, lower case.</param>
/// <param name="User">The login name.</param>
public sealed record MailboxIdentity(string Server, string User)
{
    /// <summary>The mailbox the settings point at.</summary>
    public static MailboxIdentity Of(AccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MailboxIdentity(Normalize(settings.Pop3Server), settings.Pop3Account);
    }

    /// <summary>
    /// The mailbox an <c>account@server</c> address (<see cref="AccountSettings.Address"/>, as journalled before
    /// identities existed) names: the server is what follows the last <c>@</c>. Null when there is none.
    /// </summary>
    public static MailboxIdentity? FromAddress(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        return at < 0 ? null : new MailboxIdentity(Normalize(address![(at + 1)..]), address[..at]);
    }

    /// <summary>user@server, as listings show it.</summary>
    public string Address => $"{User}@{Server}";

    private static string Normalize(string server) => server.Trim().TrimEnd('.').ToLowerInvariant();
}
