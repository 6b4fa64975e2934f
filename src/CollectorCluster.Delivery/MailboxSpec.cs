namespace CollectorCluster.Delivery;

/// <summary>
/// An account's <c>mailbox</c> setting, parsed once and checked early, so a typo fails when the account is
/// configured rather than after the first message has been fetched from the server.
/// </summary>
public sealed class MailboxSpec
{
    /// <summary>The scheme of a Maildir destination: <c>maildir:/abs/path</c>.</summary>
    public const string MaildirScheme = "maildir";

    private const string AcceptedForms = "accepted: 'maildir:/absolute/path' or 'maildir:relative/path' (resolved against the base directory); 'lmtp:host:port', 'smtp:host:port' and 'mda:command' are planned but not supported yet";

    private static readonly string[] PlannedSchemes = ["lmtp", "smtp", "mda"];

    private MailboxSpec(string scheme, string location)
    {
        Scheme = scheme;
        Location = location;
    }

    /// <summary>The scheme, lower case (<c>maildir</c>).</summary>
    public string Scheme { get; }

    /// <summary>Where the scheme points: for Maildir, the absolute, normalised directory path.</summary>
    public string Location { get; }

    /// <summary>
    /// Parses <paramref name="value"/>. A relative Maildir path is resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    /// <exception cref="FormatException">The value is not one of the accepted forms (the message names it and lists them).</exception>
    /// <exception cref="NotSupportedException">The scheme is a planned one (<c>lmtp</c>, <c>smtp</c>, <c>mda</c>) not implemented yet.</exception>
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

        if (scheme == MaildirScheme)
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
            return new MailboxSpec(MaildirScheme, location.Length == 0 ? full : location);
        }

        if (Array.IndexOf(PlannedSchemes, scheme) >= 0)
        {
            throw new NotSupportedException(
                $"Mailbox '{value}': the '{scheme}' destination is not supported yet; use 'maildir:/path'.");
        }

        throw Bad(value, $"unknown scheme '{trimmed[..colon]}'");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}:{Location}";

    private static FormatException Bad(string value, string reason) =>
        new($"Mailbox '{value}' is not valid ({reason}); {AcceptedForms}.");
}
