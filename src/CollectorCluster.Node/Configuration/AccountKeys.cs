using Akka.Configuration;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// The one table of account keys: which keys an account object accepts, their defaults and their meaning. The
/// parser reads its defaults from here; <c>hocon/collector.defaults.hocon</c> lists the same defaults and the README's
/// configuration reference shows the same rows (tests hold all three to this table).
/// </summary>
public static class AccountKeys
{
    /// <summary>Every account key, in the README's order.</summary>
    public static readonly IReadOnlyList<AccountKey> All =
    [
        new("id", null, "stable id: letters, digits, `.`, `_`, `-` (at most 64, starting with a letter or digit)") { Required = true },
        new("pop3-server", null, "POP3 Server") { Required = true },
        new("port", "110", "port; `995` when `ssl = implicit` and no port is given"),
        new("pop3-account", null, "POP3 Account (login)") { Required = true },
        new("password", null, "the password; give exactly one of `password`, `password-file`, `password-env` (none with OAuth2)") { Absent = "one of three" },
        new("password-file", null, "a file holding the password (relative to the node file; a trailing newline is dropped)") { Absent = "one of three" },
        new("password-env", null, "an environment variable holding the password") { Absent = "one of three" },
        new("ssl", "none", "`none`, `starttls` (required: never silently downgraded), `implicit` (RFC 8314, port 995)"),
        new("verify-certificate", "on", "chain and host name are checked; `off` only per account, on purpose"),
        new("certificate-sha256", null, "pin: only this certificate (SHA-256 of its DER) is accepted"),
        new("auth", "user-pass", "the one method tried: `user-pass`, `apop`, `plain`, `login`, `cram-md5`, `scram-sha-256`, `xoauth2`, `oauthbearer`"),
        new("oauth2", null, "with `xoauth2`/`oauthbearer` only: `{ token-endpoint, client-id, client-secret, refresh-token, scope }`, the OAuth2 client; `token-endpoint`, `client-id`, `refresh-token` required; https (http only on loopback); no `password` then"),
        new("leave-mail-on-server", "off", "on: nothing deleted, only new UIDLs collected; off: collected mail deleted at the end of the session"),
        new("delete-after-days", null, "with leave-on-server: delete N days after first collection") { Absent = "never" },
        new("mirror-mailbox", "off", "deletions both ways (see Mirror mailbox below); needs `leave-mail-on-server = on` and a `maildir:` mailbox"),
        new("mirror-max-share", "0.5", "with mirror: the largest share of the collected messages one session may delete in either direction; more is held back and reported as needing the operator"),
        new("local-area-network", "on", "on: collect whatever the node's online condition; off: collect only while the node is online (see Online condition)"),
        new("download-smallest-first", "on", "smallest messages first; off = the server's order"),
        new("check-every", "10", "minutes (a number) or a duration (`90s`, `7m`); at least 10 seconds"),
        new("mailbox", null, "destination (see Destinations): `maildir:/path` (relative to the node file), `lmtp:host:port?rcpt=user@domain`, `lmtp:unix:/path?rcpt=…`, `smtp:host:port?rcpt=…`, or `mda:/absolute/program args`; LMTP/SMTP options: `rcpt` (required; repeat it or comma-separate for several), `from` (envelope sender, default `<>`), `tls=none\\|starttls` (STARTTLS required, certificate verified against the system trust store)") { Absent = "required (or `multidrop`)" },
        new("multidrop", null, "instead of `mailbox`: a domain mailbox routed to local users, `{ local-domains, envelope-headers, aliases, default, destinations, duplicate-window }` (see Multidrop below); not with `mirror-mailbox`") { Absent = "none" },
        new("priority", "0", "higher first when connections are scarce"),
        new("enabled", "on", "disabled accounts are kept, not collected"),
        new("connect-timeout", "30s", "bound on connect, TLS handshake and greeting"),
        new("command-timeout", "60s", "bound on each reply (and on each read while a message streams)"),
        new("max-message-size", "0", "`0` = no limit; `10m`, `512k`, `1g` or bytes: a message listed larger is oversize; reported every session (warning naming UIDL and size in the status and log, `OversizeMessagesReported` in the journal), never dropped silently; a Download mark (`collector mark ... download`) overrides the skip"),
        new("commit-every", "{ messages = 500, bytes = 100m }", "when a session deletes (delete mode, expiry, marks): QUIT, committing, and reconnect after this many messages or fetched bytes, so a dropped link loses at most one chunk's deletions; either may be left out (its default stays); `{ messages = 0, bytes = 0 }` = never split"),
        new("oversize", "skip", "`skip`: oversize messages are neither fetched nor deleted; `postpone`: fetched after all the others"),
        new("imported-uidls", null, "a file of the UIDLs the previous collector had fetched from this mailbox (written by `collector import`; relative to the node file): taken over once, at the account's first start, so they are not collected again"),
    ];

    /// <summary>The keys of an account's <c>multidrop { ... }</c> section, in the README's order.</summary>
    public static readonly IReadOnlyList<AccountKey> Multidrop =
    [
        new("local-domains", null, "the domains whose addresses are routed (exact match, case-insensitive): a list, `[\"example.com\"]`") { Required = true },
        new("envelope-headers", "[Delivered-To, X-Original-To, Envelope-To, X-Envelope-To]", "the headers holding the envelope recipient, tried in order: the first naming an address in a local domain gives the recipients; without one, To and Cc do; `[]` = To and Cc only"),
        new("aliases", "{}", "local parts that stand for users (or other aliases): `{ sales = [ann, bob], info = sales }`"),
        new("default", null, "the user that gets mail for unknown local parts and mail naming no local address; without it such addresses are refused (journalled), and a message no user takes is a permanent delivery refusal: it stays on the server and the account waits for an operator") { Absent = "refuse" },
        new("destinations", null, "each local user and its mailbox, as `mailbox` takes it: `{ ann = \"maildir:/srv/mail/ann\", bob = \"lmtp:127.0.0.1:24?rcpt=bob@example.com\" }` (quote user names with dots)") { Required = true },
        new("duplicate-window", "7d", "how long each user's destination remembers a delivered copy (Message-ID plus body digest), so the same message arriving again, from this account or another, is delivered once"),
    ];

    private static readonly HashSet<string> Names = [.. All.Select(k => k.Name)];

    /// <summary>
    /// The defaults, typed: the <see cref="AccountKey.Default"/> texts read by the same reader as an account, so a
    /// default can never mean something else than the same value written in a file.
    /// </summary>
    public static readonly AccountOptions Defaults = ReadDefaults();

    /// <summary>True for a key of the table.</summary>
    public static bool IsKnown(string key) => Names.Contains(key);

    /// <summary>The known key nearest to <paramref name="key"/>, for "did you mean".</summary>
    public static string Nearest(string key) => All.Select(k => k.Name).OrderBy(k => Core.Commands.DidYouMean.Distance(k, key)).First();

    private static AccountOptions ReadDefaults()
    {
        var text = string.Join(Environment.NewLine, All.Where(k => k.Default is not null).Select(k => $"{k.Name} = {k.Default}"));
        var errors = new List<string>();
        var defaults = new AccountReader(ConfigurationFactory.ParseString(text).Root.GetObject().Items, "account defaults", errors).Options(partial: true);
        return errors.Count == 0 ? defaults : throw new InvalidOperationException("The account key table's defaults do not read: " + string.Join("; ", errors));
    }
}
