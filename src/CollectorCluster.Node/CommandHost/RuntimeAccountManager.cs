using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Secrets;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Accounts added and removed while the node runs: reads <c>collector add</c>'s options by the accounts file's rules
/// (<see cref="AccountConfigParser"/>) into typed <see cref="AccountOptions"/>, seals the password with the node key,
/// journals both in the <see cref="AccountRegistry"/>, and configures the account's entity. On start,
/// <see cref="RestoreAsync"/> configures every journaled one again, from the typed options (no text parsed).
/// </summary>
public sealed class RuntimeAccountManager
{
    /// <summary>Short option names operators type, mapped to the accounts file's keys.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["server"] = "pop3-server",
        ["user"] = "pop3-account",
        ["tls"] = "ssl",
        ["every"] = "check-every",
    };

    private readonly IActorRef _registry;
    private readonly IActorRef _accounts;
    private readonly NodeKey _key;
    private readonly string _configDirectory;
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>Creates the manager over the node's registry, account region and key.</summary>
    public RuntimeAccountManager(IActorRef registry, IActorRef accounts, NodeKey key, string configDirectory)
    {
        _registry = registry;
        _accounts = accounts;
        _key = key;
        _configDirectory = configDirectory;
    }

    /// <summary>What runtime accounts may deliver to (<c>collector.runtime-accounts</c>); none by default.</summary>
    public RuntimeAccountPolicy Policy { get; init; } = RuntimeAccountPolicy.None;

    /// <summary>Runtime accounts journaled with a mailbox the policy no longer allows: not configured at start, each with why.</summary>
    public IReadOnlyList<string> RefusedAtRestore { get; private set; } = [];

    /// <summary>True when <paramref name="id"/> was added at run time (and not removed).</summary>
    public bool Contains(string id) => _ids.ContainsKey(id);

    /// <summary>The runtime account ids.</summary>
    public IReadOnlyCollection<string> Ids => [.. _ids.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Configures every journaled runtime account that <see cref="Policy"/> allows (the others are listed in
    /// <see cref="RefusedAtRestore"/> and stay known, so they can be removed); a password the key cannot open stops
    /// the start with an error naming the key file.
    /// </summary>
    public async Task<int> RestoreAsync(TimeSpan timeout)
    {
        var known = await _registry.Ask<Actors.Registry.RuntimeAccounts>(GetRuntimeAccounts.Instance, timeout).ConfigureAwait(false);
        var all = known.Accounts.Select(a => Resolve(a.Id, a.Settings, _key.Open(a.Id, a.Password))).ToList();
        var refused = all.Select(s => (s.Id, Why: Policy.Refusal(s, _configDirectory))).Where(r => r.Why is not null).ToList();
        var settings = all.Where(s => refused.All(r => r.Id != s.Id)).ToList();
        RefusedAtRestore = [.. refused.Select(r => $"account '{r.Id}' (added at run time): {r.Why}; not configured (collector remove {r.Id} --yes, or move it to the node file)")];
        await Task.WhenAll(settings.Select(s => _accounts.Ask<AccountAck>(new ConfigureAccount(s), timeout))).ConfigureAwait(false);
        foreach (var s in all)
        {
            _ids[s.Id] = 0;
        }

        return settings.Count;
    }

    /// <summary>
    /// <c>collector add &lt;id&gt; --server host[:port] --user U [--tls none|starttls|implicit] [--mailbox M] [--every 5m] [--KEY VALUE]...</c>
    /// with the password from collectorctl (<c>--password-stdin</c> / <c>--password-file</c>, never an argument).
    /// </summary>
    public async Task<AccountSettings> AddAsync(IReadOnlyList<string> args, Secret? password, IEnumerable<string> fileAccounts, TimeSpan timeout)
    {
        const string usage = "usage: collector add <id> --server host[:port] --user U --password-stdin|--password-file F [--tls none|starttls|implicit] [--mailbox maildir:/path] [--every 5m] [--KEY VALUE (accounts-file keys)]";
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new CommandException(usage);
        }

        var id = args[0];
        if (fileAccounts.Contains(id, StringComparer.Ordinal))
        {
            throw new CommandException($"collector add: account '{id}' is defined in the accounts file; change it there (and reload)");
        }

        if (Contains(id))
        {
            throw new CommandException($"collector add: account '{id}' exists already (collector remove {id} first)");
        }

        if (password is null || password.Reveal().Length == 0)
        {
            throw new CommandException("collector add: no password: give --password-stdin or --password-file F to collectorctl (a password is never a command argument)");
        }

        var given = Checked(() => AccountConfigParser.ReadOptions(id, Options(args, usage), partial: false), password);
        var settings = Allowed(Resolve(id, given, password), "add");
        var added = new RuntimeAccountAdded(id, given, _key.Seal(id, password), DateTimeOffset.UtcNow);
        await _registry.Ask<Actors.Registry.RuntimeAccounts>(new RegisterRuntimeAccount(added), timeout).ConfigureAwait(false);
        _ids[id] = 0;
        await _accounts.Ask<AccountAck>(new ConfigureAccount(settings), timeout).ConfigureAwait(false);
        return settings;
    }

    /// <summary>
    /// <c>collector edit &lt;id&gt; --KEY VALUE...</c> (and <c>disable</c>/<c>enable</c>, which set <c>enabled</c>): changes
    /// settings of a runtime account, keeping the others; a new password only with collectorctl's --password-stdin/-file.
    /// </summary>
    public async Task<AccountSettings> EditAsync(string id, IReadOnlyList<string> options, Secret? password, IEnumerable<string> fileAccounts, TimeSpan timeout)
    {
        const string usage = "usage: collector edit <id> --KEY VALUE... [--password-stdin|--password-file F]";
        if (fileAccounts.Contains(id, StringComparer.Ordinal))
        {
            throw new CommandException($"collector edit: account '{id}' is defined in the accounts file; change it there (and reload with SIGHUP)");
        }

        var known = await _registry.Ask<Actors.Registry.RuntimeAccounts>(GetRuntimeAccounts.Instance, timeout).ConfigureAwait(false);
        var current = known.Accounts.FirstOrDefault(a => a.Id == id) ?? throw new CommandException($"unknown account '{id}' (collector list shows the accounts)");
        var changes = Options(["edit", .. options], usage);
        if (changes.Count == 0 && password is null)
        {
            throw new CommandException(usage);
        }

        var secret = password is { } p && p.Reveal().Length > 0 ? p : _key.Open(id, current.Password);
        var given = Checked(() => AccountConfigParser.ReadOptions(id, changes, partial: true), secret).Over(current.Settings);
        var settings = Allowed(Resolve(id, given, secret), "edit");
        var edited = new RuntimeAccountAdded(id, given, _key.Seal(id, secret), DateTimeOffset.UtcNow);
        await _registry.Ask<Actors.Registry.RuntimeAccounts>(new RegisterRuntimeAccount(edited), timeout).ConfigureAwait(false);
        await _accounts.Ask<AccountAck>(new ConfigureAccount(settings), timeout).ConfigureAwait(false);
        return settings;
    }

    /// <summary>The <c>--KEY VALUE</c> pairs after the id (<c>args[0]</c>), aliases mapped, <c>host:port</c> split; password keys refused.</summary>
    private static List<(string Key, string Value)> Options(IReadOnlyList<string> args, string usage)
    {
        var keys = new List<(string Key, string Value)>();
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new CommandException($"collector: '{args[i]}' needs a value ({usage})");
            }

            var name = args[i][2..];
            name = Aliases.GetValueOrDefault(name, name);
            if (name is "password" or "password-file" or "password-env" or "id")
            {
                throw new CommandException($"collector: --{args[i][2..]} is not accepted here; the password comes from collectorctl's --password-stdin or --password-file, the id cannot change");
            }

            var value = args[++i];
            if (name == "pop3-server" && value.LastIndexOf(':') is var colon and > 0 && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                keys.Add(("pop3-server", value[..colon]));
                keys.Add(("port", port.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                keys.Add((name, value));
            }
        }

        return keys;
    }

    /// <summary>
    /// Forgets a runtime account: journaled in the registry, and its entity disabled for the rest of this run (after a
    /// restart it is not configured at all). Its collection history stays in its own journal.
    /// </summary>
    public async Task RemoveAsync(string id, AccountSettings? current, TimeSpan timeout)
    {
        if (!Contains(id))
        {
            throw new CommandException($"collector remove: '{id}' is not an account added at run time (accounts-file accounts are removed from the file)");
        }

        await _registry.Ask<Actors.Registry.RuntimeAccounts>(new UnregisterRuntimeAccount(id, DateTimeOffset.UtcNow), timeout).ConfigureAwait(false);
        _ids.TryRemove(id, out _);
        if (current is not null)
        {
            await _accounts.Ask<AccountAck>(new ConfigureAccount(current with { Enabled = false }), timeout).ConfigureAwait(false);
        }
    }

    /// <summary>The settings of a runtime account as last journaled (password opened), or null.</summary>
    public async Task<AccountSettings?> SettingsAsync(string id, TimeSpan timeout)
    {
        var known = await _registry.Ask<Actors.Registry.RuntimeAccounts>(GetRuntimeAccounts.Instance, timeout).ConfigureAwait(false);
        return known.Accounts.FirstOrDefault(a => a.Id == id) is { } a ? Resolve(a.Id, a.Settings, _key.Open(a.Id, a.Password)) : null;
    }

    /// <summary>The settings when <see cref="Policy"/> allows their mailbox; else the command's error naming the setting.</summary>
    private AccountSettings Allowed(AccountSettings settings, string verb) =>
        Policy.Refusal(settings, _configDirectory) is { } refusal ? throw new CommandException($"collector {verb}: {refusal}") : settings;

    /// <summary>The account as applied: its options over the defaults, with the password.</summary>
    private AccountSettings Resolve(string id, AccountOptions options, Secret password) =>
        Checked(() => AccountConfigParser.Resolve(id, options, password, _configDirectory), password);

    /// <summary>Runs a read of the account, turning its configuration errors into the command's error, the password redacted.</summary>
    private static T Checked<T>(Func<T> read, Secret password)
    {
        try
        {
            return read();
        }
        catch (Configuration.ConfigurationException e)
        {
            // The reader's messages never quote a password (it is not among the options), but be sure one cannot travel in one.
            throw new CommandException("collector add: " + e.Message.Replace(password.Reveal(), Secret.Redacted, StringComparison.Ordinal));
        }
    }
}
