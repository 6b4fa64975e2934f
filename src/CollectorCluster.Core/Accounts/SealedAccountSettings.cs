using System.Reflection;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Core.Accounts;

/// <summary>
/// An account's settings in the form that may travel between nodes and rest in the account's own journal: every key
/// typed and given (nothing left to a node's defaults), the password and OAuth2 secrets sealed under the cluster key.
/// Whichever node hosts the account opens them with its copy of that key; no message ever carries a plain secret.
/// </summary>
/// <param name="Id">The account id.</param>
/// <param name="Settings">Every non-secret key, as applied (a null is a value here: e.g. no <c>delete-after-days</c>).</param>
/// <param name="Password">The password, sealed with the account id as context.</param>
/// <param name="OAuth2">The OAuth2 client, its secrets sealed; null for password accounts.</param>
/// <param name="Multidrop">A multidrop mailbox's routing (no secret in it); null for an ordinary mailbox, and in entries written before it existed.</param>
/// <param name="ImportedUidls">The <c>imported-uidls</c> seed file; null when none, and in entries written before it existed.</param>
public sealed record SealedAccountSettings(
    string Id, AccountOptions Settings, SealedPassword Password, SealedOAuth2Settings? OAuth2, Routing.MultidropSettings? Multidrop = null, string? ImportedUidls = null)
{
    private static readonly PropertyInfo[] OptionProperties = typeof(AccountOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Seals <paramref name="settings"/> with <paramref name="sealer"/>.</summary>
    public static SealedAccountSettings Seal(AccountSettings settings, ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sealer);
        var id = settings.Id;
        var oauth2 = settings.OAuth2 is { } o
            ? new SealedOAuth2Settings(
                o.TokenEndpoint,
                o.ClientId,
                o.ClientSecret is { } secret ? sealer.Seal(ClientSecretContext(id), secret) : null,
                sealer.Seal(RefreshTokenContext(id), o.RefreshToken),
                o.Scope)
            : null;
        return new SealedAccountSettings(id, Options(settings), sealer.Seal(id, settings.Password), oauth2, settings.Multidrop, settings.ImportedUidls);
    }

    /// <summary>Every non-secret key of <paramref name="settings"/>, as options with nothing left out.</summary>
    public static AccountOptions Options(AccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new AccountOptions
        {
            Pop3Server = settings.Pop3Server,
            Port = settings.Port,
            Pop3Account = settings.Pop3Account,
            Ssl = settings.Ssl,
            VerifyCertificate = settings.VerifyCertificate,
            CertificateSha256 = settings.CertificateSha256,
            Auth = settings.Auth,
            LeaveMailOnServer = settings.LeaveMailOnServer,
            DeleteAfterDays = settings.DeleteAfterDays,
            MirrorMailbox = settings.MirrorMailbox,
            MirrorMaxShare = settings.MirrorMaxShare,
            LocalAreaNetwork = settings.LocalAreaNetwork,
            DownloadSmallestFirst = settings.DownloadSmallestFirst,
            CheckEvery = settings.CheckEvery,
            Mailbox = settings.Mailbox,
            Priority = settings.Priority,
            Enabled = settings.Enabled,
            ConnectTimeout = settings.ConnectTimeout,
            CommandTimeout = settings.CommandTimeout,
            MaxMessageSize = settings.MaxMessageSize,
            CommitEveryMessages = settings.CommitEvery.Messages,
            CommitEveryBytes = settings.CommitEvery.Bytes,
            Oversize = settings.Oversize,
        };
    }

    /// <summary>
    /// The keys (as the accounts file names them, e.g. <c>check-every</c>, <c>password</c>) whose values differ between
    /// <paramref name="before"/> and <paramref name="after"/>; secrets are named, never shown.
    /// </summary>
    public static IReadOnlyList<string> ChangedKeys(AccountSettings before, AccountSettings after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = Options(before);
        var b = Options(after);
        var changed = OptionProperties.Where(p => !Equals(p.GetValue(a), p.GetValue(b))).Select(p => KeyName(p.Name)).ToList();
        if (!before.Password.Equals(after.Password))
        {
            changed.Add("password");
        }

        if (!Equals(before.OAuth2, after.OAuth2))
        {
            changed.Add("oauth2");
        }

        if (!Equals(before.Multidrop, after.Multidrop))
        {
            changed.Add("multidrop");
        }

        if (before.ImportedUidls != after.ImportedUidls)
        {
            changed.Add("imported-uidls");
        }

        return changed;
    }

    /// <summary>Opens the secrets with <paramref name="sealer"/> into the settings the account collects with.</summary>
    /// <exception cref="InvalidDataException">A key that every applied account has is missing (a corrupt entry).</exception>
    public AccountSettings Open(ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(sealer);
        var s = Settings;
        return new AccountSettings
        {
            Id = Id,
            Pop3Server = s.Pop3Server ?? throw Missing("pop3-server"),
            Port = s.Port ?? throw Missing("port"),
            Pop3Account = s.Pop3Account ?? throw Missing("pop3-account"),
            Password = sealer.Open(Id, Password),
            Ssl = s.Ssl ?? throw Missing("ssl"),
            VerifyCertificate = s.VerifyCertificate ?? throw Missing("verify-certificate"),
            CertificateSha256 = s.CertificateSha256,
            Auth = s.Auth ?? throw Missing("auth"),
            LeaveMailOnServer = s.LeaveMailOnServer ?? throw Missing("leave-mail-on-server"),
            DeleteAfterDays = s.DeleteAfterDays,
            MirrorMailbox = s.MirrorMailbox ?? throw Missing("mirror-mailbox"),
            MirrorMaxShare = s.MirrorMaxShare ?? throw Missing("mirror-max-share"),
            LocalAreaNetwork = s.LocalAreaNetwork ?? throw Missing("local-area-network"),
            DownloadSmallestFirst = s.DownloadSmallestFirst ?? throw Missing("download-smallest-first"),
            CheckEvery = s.CheckEvery ?? throw Missing("check-every"),
            Mailbox = s.Mailbox ?? throw Missing("mailbox"),
            Priority = s.Priority ?? throw Missing("priority"),
            Enabled = s.Enabled ?? throw Missing("enabled"),
            ConnectTimeout = s.ConnectTimeout ?? throw Missing("connect-timeout"),
            CommandTimeout = s.CommandTimeout ?? throw Missing("command-timeout"),
            MaxMessageSize = s.MaxMessageSize ?? throw Missing("max-message-size"),
            CommitEvery = new CommitEvery(s.CommitEveryMessages ?? throw Missing("commit-every.messages"), s.CommitEveryBytes ?? throw Missing("commit-every.bytes")),
            Oversize = s.Oversize ?? throw Missing("oversize"),
            OAuth2 = OAuth2 is { } o
                ? new OAuth2Settings(
                    o.TokenEndpoint,
                    o.ClientId,
                    o.ClientSecret is { } secret ? sealer.Open(ClientSecretContext(Id), secret) : null,
                    sealer.Open(RefreshTokenContext(Id), o.RefreshToken),
                    o.Scope)
                : null,
            Multidrop = Multidrop,
            ImportedUidls = ImportedUidls,
        };
    }

    private static string ClientSecretContext(string id) => id + "/oauth2-client-secret";

    private static string RefreshTokenContext(string id) => id + "/oauth2-refresh-token";

    private InvalidDataException Missing(string key) => new($"the stored settings of account '{Id}' lack '{key}'");

    private static string KeyName(string property) => property switch
    {
        nameof(AccountOptions.Pop3Server) => "pop3-server",
        nameof(AccountOptions.Pop3Account) => "pop3-account",
        nameof(AccountOptions.Ssl) => "ssl",
        nameof(AccountOptions.CertificateSha256) => "certificate-sha256",
        nameof(AccountOptions.CommitEveryMessages) => "commit-every.messages",
        nameof(AccountOptions.CommitEveryBytes) => "commit-every.bytes",
        _ => string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };
}
