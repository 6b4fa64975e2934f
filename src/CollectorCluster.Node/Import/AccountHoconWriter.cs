using System.Globalization;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Migration;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Node.Import;

/// <summary>
/// Writes imported accounts in the node file's HOCON, with the keys of <c>AccountKeys</c> (defaults left out), each
/// account preceded by where it came from and what did not carry over, as comments.
/// </summary>
internal static class AccountHoconWriter
{
    /// <summary>One account object, indented for a list under <c>collector.accounts</c>.</summary>
    public static string Account(ImportedAccount account)
    {
        var peer = account.Peer;
        var text = new StringBuilder();
        text.Append("    # from ").Append(HoconText.Comment(peer.Origin)).Append('\n');
        foreach (var note in account.Notes)
        {
            text.Append("    # not carried over: ").Append(HoconText.Comment(note.What)).Append('\n');
        }

        text.Append("    {\n");
        void Key(string key, string value) => text.Append("      ").Append(key).Append(" = ").Append(value).Append('\n');
        Key("id", HoconText.Quote(account.Id));
        Key("pop3-server", HoconText.Quote(peer.Server));
        if (peer.Port is { } port)
        {
            Key("port", port.ToString(CultureInfo.InvariantCulture));
        }

        Key("pop3-account", HoconText.Quote(peer.User));
        text.Append("      ").Append(account.PasswordKey).Append('\n');
        SecurityKeys(peer, Key);
        CollectionKeys(peer, Key);
        if (account.Multidrop is { } multidrop)
        {
            Multidrop(text, multidrop);
        }
        else
        {
            Key("mailbox", HoconText.Quote(account.Mailbox!));
        }

        if (account.Seed is { } seed)
        {
            Key("imported-uidls", HoconText.Quote(seed));
        }

        return text.Append("    }").ToString();
    }

    // ssl, verify-certificate, certificate-sha256 and auth, each left out at its default.
    private static void SecurityKeys(PeerAccount peer, Action<string, string> key)
    {
        key("ssl", peer.Ssl switch { TlsMode.Implicit => "implicit", TlsMode.StartTls => "starttls", _ => "none" });
        if (!peer.VerifyCertificate)
        {
            key("verify-certificate", "off");
        }

        if (peer.CertificateSha256 is { } pin)
        {
            key("certificate-sha256", HoconText.Quote(pin));
        }

        if (peer.Auth is { } auth && auth != AuthMethod.UserPass)
        {
            key("auth", auth switch
            {
                AuthMethod.Apop => "apop",
                AuthMethod.Plain => "plain",
                AuthMethod.Login => "login",
                AuthMethod.CramMd5 => "cram-md5",
                AuthMethod.ScramSha256 => "scram-sha-256",
                _ => "user-pass",
            });
        }
    }

    // What is collected and when: leave-mail-on-server always, the rest only when set.
    private static void CollectionKeys(PeerAccount peer, Action<string, string> key)
    {
        key("leave-mail-on-server", peer.LeaveMailOnServer ? "on" : "off");
        if (peer.DeleteAfterDays is { } days)
        {
            key("delete-after-days", days.ToString(CultureInfo.InvariantCulture));
        }

        if (peer.MaxMessageSize is { } size)
        {
            key("max-message-size", size.ToString(CultureInfo.InvariantCulture));
        }

        if (peer.CheckEvery is { } every)
        {
            key("check-every", Seconds(every));
        }

        if (peer.CommandTimeout is { } timeout)
        {
            key("command-timeout", Seconds(timeout));
        }

        if (!peer.Enabled)
        {
            key("enabled", "off");
        }
    }

    /// <summary>The node file: a header, then the accounts under <c>collector.accounts</c>.</summary>
    public static string NodeFile(IEnumerable<string> header, IEnumerable<string> accounts)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(HoconText.Comment(line)).Append('\n');
        }

        return text.Append("collector {\n  accounts = [\n").AppendJoin(",\n", accounts).Append("\n  ]\n}\n").ToString();
    }

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    private static void Multidrop(StringBuilder text, MultidropSettings multidrop)
    {
        text.Append("      multidrop {\n");
        text.Append("        local-domains = ").Append(HoconText.List(multidrop.LocalDomains)).Append('\n');
        if (!multidrop.EnvelopeHeaders.SequenceEqual(MultidropSettings.DefaultEnvelopeHeaders))
        {
            text.Append("        envelope-headers = ").Append(HoconText.List(multidrop.EnvelopeHeaders)).Append('\n');
        }

        if (multidrop.Aliases.Count > 0)
        {
            text.Append("        aliases {\n");
            foreach (var (alias, users) in multidrop.Aliases)
            {
                text.Append("          ").Append(HoconText.Quote(alias)).Append(" = ").Append(HoconText.List(users)).Append('\n');
            }

            text.Append("        }\n");
        }

        if (multidrop.Default is { } fallback)
        {
            text.Append("        default = ").Append(HoconText.Quote(fallback)).Append('\n');
        }

        text.Append("        destinations {\n");
        foreach (var (user, spec) in multidrop.Destinations)
        {
            text.Append("          ").Append(HoconText.Quote(user)).Append(" = ").Append(HoconText.Quote(spec)).Append('\n');
        }

        text.Append("        }\n      }\n");
    }
}
