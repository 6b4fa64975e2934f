namespace CollectorCluster.Core.Routing;

/// <summary>
/// A multidrop (domain) mailbox: one remote mailbox holding mail for a whole domain, routed to local users by the
/// message's envelope header (or, without one, its To/Cc). Names are lower case; every alias target and the default are
/// users of <see cref="Destinations"/> (the configuration reader checks that).
/// </summary>
public sealed record MultidropSettings
{
    /// <summary>The envelope headers looked for when none are configured, in order.</summary>
    public static readonly IReadOnlyList<string> DefaultEnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

    /// <summary>How long a delivered copy is remembered per recipient to suppress duplicates, when not configured.</summary>
    public static readonly TimeSpan DefaultDuplicateWindow = TimeSpan.FromDays(7);

    /// <summary>Domains whose addresses are ours (lower case, exact match).</summary>
    public required IReadOnlyList<string> LocalDomains { get; init; }

    /// <summary>Envelope headers, in the order they are tried (the first that names a local address wins).</summary>
    public IReadOnlyList<string> EnvelopeHeaders { get; init; } = DefaultEnvelopeHeaders;

    /// <summary>Local parts that stand for one or more users (or other aliases).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The user that gets mail for unknown local parts and mail naming no local address; null refuses those.</summary>
    public string? Default { get; init; }

    /// <summary>Each local user and its mailbox spec (<c>maildir:...</c>, <c>lmtp:...?rcpt=...</c>, ...).</summary>
    public required IReadOnlyDictionary<string, string> Destinations { get; init; }

    /// <summary>How long each recipient remembers a delivered copy (Message-ID plus body digest) to suppress duplicates.</summary>
    public TimeSpan DuplicateWindow { get; init; } = DefaultDuplicateWindow;

    /// <summary>Value equality (the collections compared by content), so an unchanged file does not look reconfigured.</summary>
    public bool Equals(MultidropSettings? other) =>
        other is not null
        && LocalDomains.SequenceEqual(other.LocalDomains)
        && EnvelopeHeaders.SequenceEqual(other.EnvelopeHeaders, StringComparer.OrdinalIgnoreCase)
        && Aliases.Count == other.Aliases.Count
        && Aliases.All(a => other.Aliases.TryGetValue(a.Key, out var targets) && targets.SequenceEqual(a.Value))
        && Default == other.Default
        && Destinations.Count == other.Destinations.Count
        && Destinations.All(d => other.Destinations.TryGetValue(d.Key, out var spec) && spec == d.Value)
        && DuplicateWindow == other.DuplicateWindow;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LocalDomains.Count, Destinations.Count, Default, DuplicateWindow);

    /// <summary>A short description for listings: <c>multidrop:example.com,example.org (3 users)</c>.</summary>
    public string Describe() => $"multidrop:{string.Join(',', LocalDomains)} ({Destinations.Count} user(s))";
}
