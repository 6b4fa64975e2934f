namespace CollectorCluster.Core.Routing;

/// <summary>
/// Decides which local users a message of a multidrop mailbox goes to. Recipients come from the first configured
/// envelope header that names an address in a local domain (the ISP leaves one copy per recipient, each with its own
/// envelope address); only when none does are they taken from To and Cc. Either way only local-domain addresses count,
/// aliases are resolved to users, and an unknown local part goes to the default user or is refused with a reason.
/// </summary>
public static class RecipientRouter
{
    /// <summary>How deep aliases may name other aliases.</summary>
    public const int MaxAliasDepth = 8;

    private static readonly string[] HeaderFields = ["To", "Cc"];

    /// <summary>Routes a message by its header fields.</summary>
    public static RoutingDecision Route(IReadOnlyList<HeaderField> header, MultidropSettings settings)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(settings);
        var domains = new HashSet<string>(settings.LocalDomains, StringComparer.OrdinalIgnoreCase);

        foreach (var name in settings.EnvelopeHeaders)
        {
            var addresses = Addresses(header, [name]);
            var local = addresses.Where(a => domains.Contains(a.Domain)).ToList();
            if (local.Count > 0)
            {
                return Resolve(name, local, addresses.Count - local.Count, settings);
            }
        }

        var listed = Addresses(header, HeaderFields);
        var ours = listed.Where(a => domains.Contains(a.Domain)).ToList();
        return Resolve(RoutingDecision.HeaderSource, ours, listed.Count - ours.Count, settings);
    }

    /// <summary>
    /// The users <paramref name="localPart"/> stands for (itself when it is a user; an alias's users, recursively), or an
    /// empty list when it is neither. Cycles and chains deeper than <see cref="MaxAliasDepth"/> stop the expansion.
    /// </summary>
    public static IReadOnlyList<string> Users(string localPart, MultidropSettings settings)
    {
        ArgumentNullException.ThrowIfNull(localPart);
        ArgumentNullException.ThrowIfNull(settings);
        var users = new List<string>();
        Expand(localPart.ToLowerInvariant(), settings, users, [], 0);
        return users;
    }

    private static void Expand(string name, MultidropSettings settings, List<string> users, HashSet<string> seen, int depth)
    {
        if (!seen.Add(name) || depth > MaxAliasDepth)
        {
            return;
        }

        if (settings.Aliases.TryGetValue(name, out var targets))
        {
            foreach (var target in targets)
            {
                Expand(target, settings, users, seen, depth + 1);
            }
        }
        else if (settings.Destinations.ContainsKey(name) && !users.Contains(name))
        {
            users.Add(name);
        }
    }

    private static List<RecipientAddress> Addresses(IReadOnlyList<HeaderField> header, IReadOnlyList<string> names) =>
        names.SelectMany(n => HeaderBlock.Values(header, n)).SelectMany(AddressListParser.Parse).ToList();

    private static RoutingDecision Resolve(string source, IReadOnlyList<RecipientAddress> local, int foreign, MultidropSettings settings)
    {
        var routed = new List<(string User, RouteVia Via, List<string> Addresses)>();
        var refused = new List<RefusedRecipient>();

        void Route(string user, RouteVia via, string? address)
        {
            var index = routed.FindIndex(r => r.User == user);
            if (index < 0)
            {
                routed.Add((user, via, []));
                index = routed.Count - 1;
            }

            if (address is not null && !routed[index].Addresses.Contains(address))
            {
                routed[index].Addresses.Add(address);
            }
        }

        foreach (var address in local.Distinct())
        {
            var text = address.ToString();
            var users = Users(address.LocalPart, settings);
            if (users.Count > 0)
            {
                var via = settings.Aliases.ContainsKey(address.LocalPart) ? RouteVia.Alias : RouteVia.User;
                foreach (var user in users)
                {
                    Route(user, via, text);
                }
            }
            else if (settings.Default is { } fallback)
            {
                Route(fallback, RouteVia.Default, text);
            }
            else if (!refused.Any(r => r.Address == text))
            {
                refused.Add(new RefusedRecipient(text, $"'{address.LocalPart}' is no local user or alias, and multidrop has no default"));
            }
        }

        if (local.Count == 0)
        {
            var why = source == RoutingDecision.HeaderSource
                ? $"no address in {string.Join(", ", settings.LocalDomains)} in the envelope headers ({string.Join(", ", settings.EnvelopeHeaders)}) or To/Cc"
                : $"no address in {string.Join(", ", settings.LocalDomains)}";
            if (settings.Default is { } fallback)
            {
                Route(fallback, RouteVia.Default, null);
            }
            else
            {
                refused.Add(new RefusedRecipient("-", why + ", and multidrop has no default"));
            }
        }

        return new RoutingDecision(source, routed.Select(r => new RoutedUser(r.User, r.Via, r.Addresses)).ToList(), refused, foreign);
    }
}
