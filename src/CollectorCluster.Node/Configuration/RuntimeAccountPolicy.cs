using Akka.Configuration;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Delivery;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// What accounts added at run time (<c>collector add</c>/<c>edit</c>) may deliver to
/// (<c>collector.runtime-accounts</c>): never a program (<c>mda:</c> runs anything as the collector: such accounts
/// go in the node file), a Maildir only under one of <see cref="MaildirRoots"/> (symbolic links resolved, so a
/// link cannot lead out), LMTP and SMTP anywhere. No roots (the default): no runtime Maildir at all.
/// </summary>
/// <param name="MaildirRoots">Absolute directories a runtime account's Maildir must lie in.</param>
public sealed record RuntimeAccountPolicy(IReadOnlyList<string> MaildirRoots)
{
    /// <summary>The key that lists the roots, named in every refusal.</summary>
    public const string RootsKey = "collector.runtime-accounts.maildir-roots";

    /// <summary>No runtime Maildir allowed.</summary>
    public static RuntimeAccountPolicy None { get; } = new([]);

    /// <summary>Reads <c>collector.runtime-accounts</c>; relative roots are relative to <paramref name="configDirectory"/>.</summary>
    public static RuntimeAccountPolicy FromConfig(Config config, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(RootsKey))
        {
            return None;
        }

        var value = config.GetValue(RootsKey);
        // Akka's parser keeps `[]` as an array plus a whitespace element, which IsArray() rejects: an empty list is fine.
        if (value.IsEmpty || (!value.IsArray() && value.Values.OfType<Akka.Configuration.Hocon.HoconArray>().Any() && value.GetArray().All(i => i.IsEmpty)))
        {
            return None;
        }

        if (!value.IsArray())
        {
            throw new ConfigurationException($"{RootsKey}: must be a list of directories, e.g. [\"/srv/mail\"] (empty: no Maildir for accounts added at run time)");
        }

        var roots = new List<string>();
        foreach (var item in value.GetArray().Where(i => !i.IsEmpty))
        {
            var text = item.IsString() ? item.GetString().Trim() : "";
            if (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
            {
                throw new ConfigurationException($"{RootsKey}: '{item}' is not a directory path");
            }

            roots.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(text, configDirectory)));
        }

        return new RuntimeAccountPolicy(roots);
    }

    /// <summary>Why <paramref name="settings"/>' mailbox is not allowed for an account added at run time; null when it is.</summary>
    public string? Refusal(AccountSettings settings, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MailboxSpec spec;
        try
        {
            spec = MailboxSpec.Parse(settings.Mailbox, configDirectory);
        }
        catch (FormatException e)
        {
            return e.Message;
        }

        switch (spec.Scheme)
        {
            case MailboxSpec.MdaScheme:
                return $"mailbox '{settings.Mailbox}': an account added at run time cannot deliver to a program (mda: runs it as the collector); put this account in the node file";
            case MailboxSpec.MaildirScheme:
                try
                {
                    var target = RealPath(spec.Location);
                    if (MaildirRoots.Any(root => IsUnder(target, RealPath(root))))
                    {
                        return null;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return $"mailbox '{settings.Mailbox}': cannot resolve the path ({e.Message})";
                }

                var roots = MaildirRoots.Count == 0 ? "none are allowed: the list is empty" : "[" + string.Join(", ", MaildirRoots) + "]";
                return $"mailbox '{settings.Mailbox}': accounts added at run time may use a Maildir only under {RootsKey} ({roots})";
            default:
                return null;
        }
    }

    private static bool IsUnder(string path, string root) =>
        path.Equals(root, StringComparison.Ordinal) || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The absolute path with every symbolic link along it resolved, dangling ones too (what realpath(3) does,
    /// without requiring the whole path to exist); a loop of links is an <see cref="IOException"/>.
    /// </summary>
    private static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (depth >= 40)
                {
                    throw new IOException($"too many levels of symbolic links at {next}");
                }

                // A relative target is relative to the link's directory; the rest of the path follows the target.
                return RealPath(Path.Combine([Path.GetFullPath(target, current), .. parts[(i + 1)..]]), depth + 1);
            }

            if (!Directory.Exists(next))
            {
                // Nothing below a missing directory (or below a file) can be a link yet.
                return Path.GetFullPath(Path.Combine([next, .. parts[(i + 1)..]]));
            }

            current = next;
        }

        return current;
    }
}
