using System.Globalization;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// An account's settings written back as the accounts file's keys (<see cref="AccountKeys"/>), each as text the
/// reader accepts: what the web console's Properties form shows and what <c>collector show --json</c> gives as
/// <c>settings</c>. Never a secret: the password keys and the OAuth2 section are left out. The nested
/// <c>commit-every</c> object is written as <c>commit-every.messages</c> and <c>commit-every.bytes</c>, which
/// <see cref="AccountConfigParser.ReadOptions"/> reads back.
/// </summary>
public static class AccountKeyText
{
    /// <summary>
    /// The keys an account's settings are shown and edited by, in the table's order; the password keys and oauth2 are
    /// not among them, nor multidrop and imported-uidls (accounts-file only: an account added at run time has neither).
    /// </summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        .. AccountKeys.All.Select(k => k.Name).Where(k => k is not ("password" or "password-file" or "password-env" or "oauth2" or "commit-every" or "multidrop" or "imported-uidls")),
        CommitEveryMessages,
        CommitEveryBytes,
    ];

    /// <summary><c>commit-every</c>'s <c>messages</c>, as one key.</summary>
    public const string CommitEveryMessages = "commit-every.messages";

    /// <summary><c>commit-every</c>'s <c>bytes</c>, as one key.</summary>
    public const string CommitEveryBytes = "commit-every.bytes";

    /// <summary>The settings as key texts (see <see cref="Keys"/>); an unset optional key is the empty text.</summary>
    public static IReadOnlyDictionary<string, string> Of(AccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = settings.Id,
            ["pop3-server"] = settings.Pop3Server,
            ["port"] = Number(settings.Port),
            ["pop3-account"] = settings.Pop3Account,
            ["ssl"] = Ssl(settings.Ssl),
            ["verify-certificate"] = OnOff(settings.VerifyCertificate),
            ["certificate-sha256"] = settings.CertificateSha256 ?? "",
            ["auth"] = Auth(settings.Auth),
            ["leave-mail-on-server"] = OnOff(settings.LeaveMailOnServer),
            ["delete-after-days"] = settings.DeleteAfterDays is { } days ? Number(days) : "",
            ["mirror-mailbox"] = OnOff(settings.MirrorMailbox),
            ["mirror-max-share"] = settings.MirrorMaxShare.ToString("0.###", CultureInfo.InvariantCulture),
            ["local-area-network"] = OnOff(settings.LocalAreaNetwork),
            ["download-smallest-first"] = OnOff(settings.DownloadSmallestFirst),
            ["check-every"] = Duration(settings.CheckEvery),
            ["mailbox"] = settings.Mailbox,
            ["priority"] = Number(settings.Priority),
            ["enabled"] = OnOff(settings.Enabled),
            ["connect-timeout"] = Duration(settings.ConnectTimeout),
            ["command-timeout"] = Duration(settings.CommandTimeout),
            ["max-message-size"] = settings.MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            [CommitEveryMessages] = Number(settings.CommitEvery.Messages),
            [CommitEveryBytes] = settings.CommitEvery.Bytes.ToString(CultureInfo.InvariantCulture),
            ["oversize"] = settings.Oversize == OversizeHandling.Postpone ? "postpone" : "skip",
        };
    }

    /// <summary>The choices of a key with fixed values (for a form's select); null for free text.</summary>
    public static IReadOnlyList<string>? Choices(string key) => key switch
    {
        "ssl" => ["none", "starttls", "implicit"],
        "auth" => ["user-pass", "apop", "plain", "login", "cram-md5", "scram-sha-256", "xoauth2", "oauthbearer"],
        "oversize" => ["skip", "postpone"],
        "verify-certificate" or "leave-mail-on-server" or "mirror-mailbox" or "local-area-network" or "download-smallest-first" or "enabled" => ["on", "off"],
        _ => null,
    };

    /// <summary>A duration in the largest whole unit (<c>2h</c>, <c>10m</c>, <c>90s</c>), as the reader takes it.</summary>
    public static string Duration(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerHour == 0 ? Number((int)span.TotalHours) + "h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? Number((int)span.TotalMinutes) + "m"
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
        : ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Ssl(TlsMode mode) => mode switch
    {
        TlsMode.StartTls => "starttls",
        TlsMode.Implicit => "implicit",
        _ => "none",
    };

    private static string Auth(AuthMethod method) => method switch
    {
        AuthMethod.Apop => "apop",
        AuthMethod.Plain => "plain",
        AuthMethod.Login => "login",
        AuthMethod.CramMd5 => "cram-md5",
        AuthMethod.ScramSha256 => "scram-sha-256",
        AuthMethod.XOAuth2 => "xoauth2",
        AuthMethod.OAuthBearer => "oauthbearer",
        _ => "user-pass",
    };
}
