using Akka.Configuration.Hocon;
using CollectorCluster.Core.Routing;
using CollectorCluster.Delivery;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads an account's <c>multidrop { local-domains, envelope-headers, aliases, default, destinations, duplicate-window }</c>
/// strictly, by <see cref="AccountKeys.Multidrop"/>: unknown keys, missing keys, malformed domains or user names, a
/// destination that does not parse, an alias naming nobody and a default that is no user are errors naming the account
/// and the key. Names come out lower case and destinations normalised (each one names a recipient's duplicate memory).
/// </summary>
internal static class MultidropConfigReader
{
    /// <summary>The settings, or null after adding the problems to <paramref name="errors"/>.</summary>
    public static MultidropSettings? Read(HoconValue value, string where, List<string> errors, string configDirectory)
    {
        var before = errors.Count;
        void Error(string key, string problem) => errors.Add($"{where}: multidrop.{key}: {problem}");
        bool NoErrorsYet() => errors.Count == before;
        if (!value.IsObject())
        {
            errors.Add($"{where}: multidrop: must be an object {{ local-domains = [...], destinations = {{ user = \"maildir:...\" }} }}");
            return null;
        }

        var items = value.GetObject().Items;
        CheckKeys(items, Error);
        var domains = ReadLocalDomains(items, Error, NoErrorsYet);
        var headers = ReadEnvelopeHeaders(items, Error);
        var destinations = ReadDestinations(items, configDirectory, Error, NoErrorsYet);
        var aliases = ReadAliases(items, destinations, Error);
        var fallback = ReadDefault(items, destinations, Error);
        var window = ReadDuplicateWindow(items, Error);
        return errors.Count != before
            ? null
            : new MultidropSettings
            {
                LocalDomains = domains,
                EnvelopeHeaders = headers,
                Aliases = aliases,
                Default = fallback,
                Destinations = destinations,
                DuplicateWindow = window,
            };
    }

    // Unknown keys (with the nearest known one), then missing required ones.
    private static void CheckKeys(Dictionary<string, HoconValue> items, Action<string, string> error)
    {
        var known = AccountKeys.Multidrop.Select(k => k.Name).ToList();
        foreach (var key in items.Keys.Where(k => !known.Contains(k)))
        {
            error(key, $"unknown key (did you mean '{known.OrderBy(k => Core.Commands.DidYouMean.Distance(k, key)).First()}'?)");
        }

        foreach (var key in AccountKeys.Multidrop.Where(k => k.Required && !items.ContainsKey(k.Name)))
        {
            error(key.Name, "is required");
        }
    }

    private static List<string> ReadLocalDomains(Dictionary<string, HoconValue> items, Action<string, string> error, Func<bool> noErrorsYet)
    {
        var domains = new List<string>();
        foreach (var domain in Strings(items.GetValueOrDefault("local-domains"), "local-domains", error))
        {
            var lower = domain.ToLowerInvariant().TrimEnd('.');
            if (lower.Length == 0 || lower.Length > 253 || !lower.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') || lower.Contains("..", StringComparison.Ordinal))
            {
                error("local-domains", $"'{domain}' is not a domain name");
            }
            else if (!domains.Contains(lower))
            {
                domains.Add(lower);
            }
        }

        if (items.ContainsKey("local-domains") && domains.Count == 0 && noErrorsYet())
        {
            error("local-domains", "must name at least one domain");
        }

        return domains;
    }

    private static IReadOnlyList<string> ReadEnvelopeHeaders(Dictionary<string, HoconValue> items, Action<string, string> error)
    {
        IReadOnlyList<string> headers = MultidropSettings.DefaultEnvelopeHeaders;
        if (items.TryGetValue("envelope-headers", out var headerValue))
        {
            headers = Strings(headerValue, "envelope-headers", error);
            foreach (var header in headers.Where(h => h.Length == 0 || h.Length > 76 || h.Any(c => c <= ' ' || c > '~' || c == ':')))
            {
                error("envelope-headers", $"'{header}' is not a header field name");
            }
        }

        return headers;
    }

    // User (lower case) to normalised mailbox spec.
    private static Dictionary<string, string> ReadDestinations(
        Dictionary<string, HoconValue> items, string configDirectory, Action<string, string> error, Func<bool> noErrorsYet)
    {
        var destinations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!items.TryGetValue("destinations", out var destinationValue))
        {
            return destinations;
        }

        if (!destinationValue.IsObject())
        {
            error("destinations", "must be an object { user = \"maildir:...\", ... }");
            return destinations;
        }

        foreach (var (name, spec) in destinationValue.GetObject().Items)
        {
            var user = name.ToLowerInvariant();
            if (!IsLocalPart(user))
            {
                error($"destinations.{name}", "is not a user name (a local part: no spaces, no '@')");
            }
            else if (!spec.IsString() || string.IsNullOrWhiteSpace(spec.GetString()))
            {
                error($"destinations.{name}", "must be a mailbox string such as \"maildir:/srv/mail/" + user + "\" (quote user names containing dots: \"ann.smith\" = ...)");
            }
            else if (destinations.ContainsKey(user))
            {
                error($"destinations.{name}", $"user '{user}' is given twice (names are not case-sensitive)");
            }
            else
            {
                try
                {
                    destinations[user] = MailboxSpec.Parse(spec.GetString(), configDirectory).ToString();
                }
                catch (FormatException e)
                {
                    error($"destinations.{name}", e.Message);
                }
            }
        }

        if (destinations.Count == 0 && noErrorsYet())
        {
            error("destinations", "must name at least one user");
        }

        return destinations;
    }

    // Alias (lower case) to the users and aliases it names; each must be one or the other.
    private static Dictionary<string, IReadOnlyList<string>> ReadAliases(
        Dictionary<string, HoconValue> items, Dictionary<string, string> destinations, Action<string, string> error)
    {
        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!items.TryGetValue("aliases", out var aliasValue))
        {
            return aliases;
        }

        if (!aliasValue.IsObject())
        {
            error("aliases", "must be an object { alias = [user, ...], ... }");
            return aliases;
        }

        foreach (var (name, targets) in aliasValue.GetObject().Items)
        {
            var alias = name.ToLowerInvariant();
            var list = Strings(targets, $"aliases.{name}", error).Select(t => t.ToLowerInvariant()).ToList();
            if (!IsLocalPart(alias))
            {
                error($"aliases.{name}", "is not a local part (no spaces, no '@')");
            }
            else if (destinations.ContainsKey(alias))
            {
                error($"aliases.{name}", $"'{alias}' is a user too: a name is either a user or an alias");
            }
            else if (list.Count == 0)
            {
                error($"aliases.{name}", "names nobody");
            }
            else
            {
                aliases[alias] = list;
            }
        }

        foreach (var (alias, list) in aliases)
        {
            foreach (var target in list.Where(t => !destinations.ContainsKey(t) && !aliases.ContainsKey(t)))
            {
                error($"aliases.{alias}", $"'{target}' is neither a user of destinations nor an alias");
            }
        }

        return aliases;
    }

    private static string? ReadDefault(Dictionary<string, HoconValue> items, Dictionary<string, string> destinations, Action<string, string> error)
    {
        string? fallback = null;
        if (items.TryGetValue("default", out var defaultValue))
        {
            fallback = defaultValue.IsString() ? defaultValue.GetString().Trim().ToLowerInvariant() : null;
            if (fallback is null || !destinations.ContainsKey(fallback))
            {
                error("default", $"'{(defaultValue.IsString() ? defaultValue.GetString() : defaultValue.ToString())}' is not a user of destinations");
            }
        }

        return fallback;
    }

    private static TimeSpan ReadDuplicateWindow(Dictionary<string, HoconValue> items, Action<string, string> error)
    {
        var window = MultidropSettings.DefaultDuplicateWindow;
        if (items.TryGetValue("duplicate-window", out var windowValue))
        {
            try
            {
                window = windowValue.GetTimeSpan();
                if (window < TimeSpan.FromMinutes(1))
                {
                    error("duplicate-window", "must be at least 1 minute");
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
            {
                error("duplicate-window", $"'{windowValue}' is not a duration (e.g. 7d, 36h)");
            }
        }

        return window;
    }

    private static bool IsLocalPart(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c > ' ' && c < 0x7f && c is not ('@' or '"' or ',' or '<' or '>' or ';' or ':' or '(' or ')' or '[' or ']' or '\\'));

    // A list of strings; a single string is a list of one. Akka's parser keeps `[]` as an array holding an empty element.
    private static IReadOnlyList<string> Strings(HoconValue? value, string key, Action<string, string> error)
    {
        if (value is null || value.IsEmpty)
        {
            return [];
        }

        if (value.IsString())
        {
            return [value.GetString().Trim()];
        }

        List<HoconValue> items;
        try
        {
            items = value.GetArray().Where(i => !i.IsEmpty).ToList();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or Akka.Configuration.ConfigurationException)
        {
            error(key, "must be a list of strings");
            return [];
        }

        var result = new List<string>();
        foreach (var item in items)
        {
            if (!item.IsString())
            {
                error(key, "must be a list of strings");
                return [];
            }

            result.Add(item.GetString().Trim());
        }

        return result;
    }
}
