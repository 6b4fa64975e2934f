using System.Globalization;
using System.Text;

namespace CollectorCluster.Core.Accounts;

/// <summary>
/// Every setting of an account as one canonical text, and its keyed digest: what NeedsOperator remembers of the
/// settings that caused it, so a later process can tell that the configuration changed (a fixed password, an added
/// certificate-sha256) without the journal ever holding a setting's secret.
/// </summary>
public static class SettingsDigest
{
    /// <summary>The keyed digest of <paramref name="settings"/>; null without node secrets (nothing to key it with).</summary>
    public static string? Of(AccountSettings settings, INodeSecrets? secrets) => secrets?.Digest(Canonical(settings));

    /// <summary>
    /// One line per setting, secrets in clear: only ever fed to a keyed digest, never stored or shown. Two settings
    /// are equal exactly when their canonical texts are.
    /// </summary>
    public static string Canonical(AccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder();
        void Add(string name, object? value) =>
            text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)?.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');

        Add("id", settings.Id);
        Add("pop3-server", settings.Pop3Server);
        Add("port", settings.Port);
        Add("pop3-account", settings.Pop3Account);
        Add("password", settings.Password.Reveal());
        Add("ssl", settings.Ssl);
        Add("verify-certificate", settings.VerifyCertificate);
        Add("certificate-sha256", settings.CertificateSha256);
        Add("auth", settings.Auth);
        Add("leave-mail-on-server", settings.LeaveMailOnServer);
        Add("delete-after-days", settings.DeleteAfterDays);
        Add("mirror-mailbox", settings.MirrorMailbox);
        Add("mirror-max-share", settings.MirrorMaxShare.ToString("R", CultureInfo.InvariantCulture));
        Add("local-area-network", settings.LocalAreaNetwork);
        Add("download-smallest-first", settings.DownloadSmallestFirst);
        Add("check-every", settings.CheckEvery.Ticks);
        Add("mailbox", settings.Mailbox);
        Add("priority", settings.Priority);
        Add("enabled", settings.Enabled);
        Add("connect-timeout", settings.ConnectTimeout.Ticks);
        Add("command-timeout", settings.CommandTimeout.Ticks);
        Add("max-message-size", settings.MaxMessageSize);
        Add("oversize", settings.Oversize);
        Add("commit-every", $"{settings.CommitEvery.Messages}/{settings.CommitEvery.Bytes}");
        Add("imported-uidls", settings.ImportedUidls);
        if (settings.Multidrop is { } multidrop)
        {
            Add("multidrop.local-domains", string.Join(",", multidrop.LocalDomains));
            Add("multidrop.envelope-headers", string.Join(",", multidrop.EnvelopeHeaders));
            Add("multidrop.aliases", string.Join(";", multidrop.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={string.Join(",", a.Value)}")));
            Add("multidrop.default", multidrop.Default);
            Add("multidrop.destinations", string.Join(";", multidrop.Destinations.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")));
            Add("multidrop.duplicate-window", multidrop.DuplicateWindow.Ticks);
        }

        if (settings.OAuth2 is { } oauth)
        {
            Add("oauth2.token-endpoint", oauth.TokenEndpoint.AbsoluteUri);
            Add("oauth2.client-id", oauth.ClientId);
            Add("oauth2.client-secret", oauth.ClientSecret?.Reveal());
            Add("oauth2.refresh-token", oauth.RefreshToken.Reveal());
            Add("oauth2.scope", oauth.Scope);
        }

        return text.ToString();
    }
}
