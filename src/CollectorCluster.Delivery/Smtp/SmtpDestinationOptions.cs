namespace CollectorCluster.Delivery.Smtp;

/// <summary>An LMTP/SMTP destination, checked: where, to whom, from whom, and whether to use STARTTLS.</summary>
/// <param name="Dialect">LMTP or SMTP.</param>
/// <param name="Endpoint">The server.</param>
/// <param name="Recipients">The envelope recipients (RCPT TO), at least one.</param>
/// <param name="EnvelopeSender">MAIL FROM; empty for the null sender <c>&lt;&gt;</c>.</param>
/// <param name="Tls">STARTTLS or plain.</param>
public sealed record SmtpDestinationOptions(
    SmtpDialect Dialect, SmtpEndpoint Endpoint, IReadOnlyList<string> Recipients, string EnvelopeSender, SmtpTlsMode Tls)
{
    /// <summary>
    /// Reads the options of an <c>lmtp:</c>/<c>smtp:</c> spec: <c>rcpt</c> (required, repeatable or comma-separated),
    /// <c>from</c> (default: null sender), <c>tls</c> (<c>none</c> or <c>starttls</c>).
    /// </summary>
    /// <exception cref="FormatException">A missing recipient, an unknown option or a malformed address.</exception>
    public static SmtpDestinationOptions FromSpec(MailboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dialect = spec.Scheme switch
        {
            MailboxSpec.LmtpScheme => SmtpDialect.Lmtp,
            MailboxSpec.SmtpScheme => SmtpDialect.Smtp,
            _ => throw new FormatException($"'{spec.Scheme}' is not lmtp or smtp"),
        };
        var endpoint = SmtpEndpoint.Parse(spec.Location);
        var recipients = new List<string>();
        var sender = "";
        var tls = SmtpTlsMode.None;
        foreach (var (key, value) in spec.Parameters)
        {
            switch (key)
            {
                case "rcpt":
                    foreach (var address in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        recipients.Add(CheckAddress("rcpt", address));
                    }

                    break;
                case "from":
                    sender = value.Length == 0 ? "" : CheckAddress("from", value);
                    break;
                case "tls":
                    tls = value.ToLowerInvariant() switch
                    {
                        "none" => SmtpTlsMode.None,
                        "starttls" => SmtpTlsMode.StartTls,
                        _ => throw new FormatException($"tls='{value}' is not 'none' or 'starttls'"),
                    };
                    break;
                default:
                    throw new FormatException($"unknown option '{key}' (known: rcpt, from, tls)");
            }
        }

        if (recipients.Count == 0)
        {
            throw new FormatException("no recipient: add ?rcpt=user@domain");
        }

        if (tls == SmtpTlsMode.StartTls && endpoint.IsUnixSocket)
        {
            throw new FormatException("tls=starttls makes no sense on a Unix socket");
        }

        return new SmtpDestinationOptions(dialect, endpoint, recipients, sender, tls);
    }

    /// <summary>The description used in logs and errors, e.g. <c>lmtp:127.0.0.1:24</c>.</summary>
    public string Description => $"{(Dialect == SmtpDialect.Lmtp ? MailboxSpec.LmtpScheme : MailboxSpec.SmtpScheme)}:{Endpoint}";

    // An address goes verbatim into MAIL FROM/RCPT TO: no brackets, spaces or control characters that would
    // break (or inject into) the command line.
    private static string CheckAddress(string key, string address)
    {
        if (address.Length == 0 || address.Length > 254 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
        {
            throw new FormatException($"{key}='{address}' is not a mail address");
        }

        return address;
    }
}
