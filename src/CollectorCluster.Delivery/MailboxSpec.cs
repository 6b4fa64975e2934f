using CollectorCluster.Delivery.Mda;
using CollectorCluster.Delivery.Smtp;

namespace CollectorCluster.Delivery;

/// <summary>
/// An account's <c>mailbox</c> setting, parsed once and checked early, so a typo fails when the account is
/// configured rather than after the first message has been fetched from the server.
/// </summary>
public sealed class MailboxSpec
{
    /// <summary>The scheme of a Maildir destination: <c>maildir:/abs/path</c>.</summary>
    public const string MaildirScheme = "maildir";

    /// <summary>The scheme of an LMTP destination: <c>lmtp:host:port?rcpt=user@example.org</c> or <c>lmtp:unix:/path?rcpt=…</c>.</summary>
    public const string LmtpScheme = "lmtp";

    /// <summary>The scheme of an SMTP destination: <c>smtp:host:port?rcpt=user@example.org</c>.</summary>
    public const string SmtpScheme = "smtp";

    /// <summary>The scheme of a delivery program: <c>mda:/usr/lib/dovecot/dovecot-lda -d user</c>.</summary>
    public const string MdaScheme = "mda";

    private const string AcceptedForms =
        "accepted: 'maildir:/absolute/path' or 'maildir:relative/path' (resolved against the base directory), "
        + "'lmtp:host:port?rcpt=user@domain' or 'lmtp:unix:/path?rcpt=user@domain', 'smtp:host:port?rcpt=user@domain' "
        + "(options: rcpt (repeatable), from, tls=starttls) and 'mda:/absolute/program args'";

    private MailboxSpec(string scheme, string location, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Scheme = scheme;
        Location = location;
        Parameters = parameters;
    }

    /// <summary>The scheme, lower case (<c>maildir</c>, <c>lmtp</c>, <c>smtp</c>, <c>mda</c>).</summary>
    public string Scheme { get; }

    /// <summary>
    /// Where the scheme points: for Maildir the absolute, normalised directory path; for LMTP/SMTP <c>host:port</c>
    /// or <c>unix:/path</c>; for an MDA the command line.
    /// </summary>
    public string Location { get; }

    /// <summary>The <c>?key=value&amp;…</c> options of an LMTP/SMTP destination, in order (empty otherwise).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>
    /// Parses <paramref name="value"/>. A relative Maildir path is resolved against <paramref name="baseDirectory"/>.
    /// LMTP/SMTP options and MDA command lines are checked here too, so a bad one fails at configuration time.
    /// </summary>
    /// <exception cref="FormatException">The value is not one of the accepted forms (the message names it and lists them).</exception>
    public static MailboxSpec Parse(string value, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);

        var trimmed = value.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw Bad(value, "no scheme");
        }

        var scheme = trimmed[..colon].ToLowerInvariant();
        var rest = trimmed[(colon + 1)..];

        switch (scheme)
        {
            case MaildirScheme:
                return ParseMaildir(value, rest, baseDirectory);
            case LmtpScheme or SmtpScheme:
                return ParseSmtp(value, scheme, rest);
            case MdaScheme:
                try
                {
                    _ = MdaCommand.Parse(rest);
                }
                catch (FormatException e)
                {
                    throw Bad(value, e.Message);
                }

                return new MailboxSpec(MdaScheme, rest.Trim(), []);
            default:
                throw Bad(value, $"unknown scheme '{trimmed[..colon]}'");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        Parameters.Count == 0
            ? $"{Scheme}:{Location}"
            : $"{Scheme}:{Location}?{string.Join('&', Parameters.Select(p => $"{p.Key}={p.Value}"))}";

    private static MailboxSpec ParseMaildir(string value, string rest, string baseDirectory)
    {
        if (rest.Length == 0)
        {
            throw Bad(value, "the Maildir path is empty");
        }

        if (rest.Contains('\0', StringComparison.Ordinal))
        {
            throw Bad(value, "the Maildir path contains a NUL character");
        }

        var full = Path.IsPathFullyQualified(rest)
            ? Path.GetFullPath(rest)
            : Path.GetFullPath(rest, Path.GetFullPath(baseDirectory));
        var location = Path.TrimEndingDirectorySeparator(full);
        return new MailboxSpec(MaildirScheme, location.Length == 0 ? full : location, []);
    }

    private static MailboxSpec ParseSmtp(string value, string scheme, string rest)
    {
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var location = question < 0 ? rest : rest[..question];
        var parameters = new List<KeyValuePair<string, string>>();
        if (question >= 0)
        {
            foreach (var pair in rest[(question + 1)..].Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw Bad(value, $"option '{pair}' is not key=value");
                }

                parameters.Add(new(pair[..eq].ToLowerInvariant(), Uri.UnescapeDataString(pair[(eq + 1)..])));
            }
        }

        var spec = new MailboxSpec(scheme, location, parameters);
        try
        {
            _ = SmtpDestinationOptions.FromSpec(spec);
        }
        catch (FormatException e)
        {
            throw Bad(value, e.Message);
        }

        return spec;
    }

    private static FormatException Bad(string value, string reason) =>
        new($"Mailbox '{value}' is not valid ({reason}); {AcceptedForms}.");
}
