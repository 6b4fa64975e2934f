using System.Globalization;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Accounts added, edited and removed while the cluster runs, at any node: reads <c>collector add</c>'s options by the
/// accounts file's rules (<see cref="AccountConfigParser"/>) into typed <see cref="AccountOptions"/>, seals the password
/// with the cluster key, journals both in the cluster's <see cref="AccountRegistry"/> (one writer, which refuses an id
/// that exists anywhere), and applies the settings, sealed, to the account's entity wherever it is hosted, which keeps
/// them in its own journal for whichever node hosts it next.
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

    private readonly ClusterAccounts _cluster;
    private readonly Func<IReadOnlyCollection<string>> _fileIds;
    private readonly string _configDirectory;

    /// <summary>Creates the manager over the node's view of the cluster's accounts; <paramref name="fileIds"/> are this node's accounts-file ids now.</summary>
    public RuntimeAccountManager(ClusterAccounts cluster, Func<IReadOnlyCollection<string>> fileIds, string configDirectory)
    {
        _cluster = cluster;
        _fileIds = fileIds;
        _configDirectory = configDirectory;
    }

    /// <summary>What runtime accounts may deliver to (<c>collector.runtime-accounts</c>); none by default.</summary>
    public RuntimeAccountPolicy Policy { get; init; } = RuntimeAccountPolicy.None;

    /// <summary>True when <paramref name="id"/> is an account of the cluster (added at run time, or of the accounts file applied by any node).</summary>
    public bool Contains(string id) => _cluster.OriginOf(id) is not null;

    /// <summary>The cluster's accounts that this node's accounts file does not define (runtime ones, and file ones another node applied).</summary>
    public IReadOnlyCollection<string> Ids
    {
        get
        {
            var file = _fileIds();
            return [.. _cluster.Ids().Where(id => !file.Contains(id))];
        }
    }

    /// <summary>
    /// <c>collector add &lt;id&gt; --server host[:port] --user U [--tls none|starttls|implicit] [--mailbox M] [--every 5m] [--KEY VALUE]...</c>
    /// with the password from collectorctl (<c>--password-stdin</c> / <c>--password-file</c>, never an argument): journaled
    /// in the cluster's registry (which refuses an id that exists anywhere), then applied where the account is hosted.
    /// </summary>
    public async Task<AccountSettings> AddAsync(IReadOnlyList<string> args, Secret? password, IEnumerable<string> fileAccounts, TimeSpan timeout)
    {
        const string usage = "usage: collector add <id> --server host[:port] --user U --password-stdin|--password-file F [--tls none|starttls|implicit] [--mailbox maildir:/path] [--every 5m] [--KEY VALUE (accounts-file keys)]";
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new CommandException(usage);
        }

        var id = args[0];
        if (fileAccounts.Contains(id, StringComparer.Ordinal) || _cluster.OriginOf(id) == AccountOrigin.File)
        {
            throw new CommandException($"collector add: account '{id}' is defined in the accounts file; change it there (and reload)");
        }

        if (_cluster.OriginOf(id) == AccountOrigin.Runtime)
        {
            throw new CommandException($"collector add: account '{id}' exists already (collector remove {id} first)");
        }

        if (password is null || password.Reveal().Length == 0)
        {
            throw new CommandException("collector add: no password: give --password-stdin or --password-file F to collectorctl (a password is never a command argument)");
        }

        var given = Checked(() => AccountConfigParser.ReadOptions(id, Options(args, usage), partial: false), password);
        var settings = Allowed(Resolve(id, given, password), "add");
        var added = new RuntimeAccountAdded(id, given, _cluster.Key.Seal(id, password), DateTimeOffset.UtcNow);
        await RegistryAsync(new AddRuntimeAccount(added), "collector add", timeout).ConfigureAwait(false);
        await ApplyAsync(settings, timeout).ConfigureAwait(false);
        return settings;
    }

    /// <summary>
    /// <c>collector edit &lt;id&gt; --KEY VALUE...</c> (and <c>disable</c>/<c>enable</c>, which set <c>enabled</c>): changes
    /// settings of a runtime account, keeping the others; a new password only with collectorctl's --password-stdin/-file.
    /// Applied wherever the account is hosted.
    /// </summary>
    public async Task<AccountSettings> EditAsync(string id, IReadOnlyList<string> options, Secret? password, IEnumerable<string> fileAccounts, TimeSpan timeout, string verb = "edit")
    {
        const string usage = "usage: collector edit <id> --KEY VALUE... [--password-stdin|--password-file F]";
        if (fileAccounts.Contains(id, StringComparer.Ordinal))
        {
            throw new CommandException(FileAccountAdvice(verb, id));
        }

        var entry = await _cluster.AskRegistryAsync<RegistryEntry>(new GetRegistryEntry(id), timeout).ConfigureAwait(false);
        var current = entry.Runtime ?? throw new CommandException(entry.Origin == AccountOrigin.File
            ? FileAccountAdvice(verb, id)
            : $"unknown account '{id}' (collector list shows the accounts)");
        var changes = Options(["edit", .. options], usage);
        if (changes.Count == 0 && password is null)
        {
            throw new CommandException(usage);
        }

        var secret = password is { } p && p.Reveal().Length > 0 ? p : _cluster.Key.Open(id, current.Password);
        var given = Checked(() => AccountConfigParser.ReadOptions(id, changes, partial: true), secret).Over(current.Settings);
        var settings = Allowed(Resolve(id, given, secret), "edit");
        var edited = new RuntimeAccountAdded(id, given, _cluster.Key.Seal(id, secret), DateTimeOffset.UtcNow);
        await RegistryAsync(new ReplaceRuntimeAccount(edited), "collector edit", timeout).ConfigureAwait(false);
        await ApplyAsync(settings, timeout).ConfigureAwait(false);
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
    /// Forgets a runtime account: journaled in the registry, and its entity, wherever it is hosted, forgets its settings
    /// and collects no more. Its collection history stays in its own journal.
    /// </summary>
    public async Task RemoveAsync(string id, TimeSpan timeout)
    {
        await RegistryAsync(new RemoveRuntimeAccount(id, DateTimeOffset.UtcNow), "collector remove", timeout).ConfigureAwait(false);
        var removed = await _cluster.RemoveAsync(id, timeout).ConfigureAwait(false);
        await _cluster.RefreshAsync(timeout).ConfigureAwait(false);
        if (removed.Change == SettingsChange.Refused)
        {
            throw new CommandException($"collector remove: '{id}' is removed from the cluster's accounts, but its account did not confirm: {removed.Detail}");
        }
    }

    private async Task RegistryAsync(IRegistryCommand command, string verb, TimeSpan timeout)
    {
        try
        {
            await _cluster.AskRegistryAsync<RegistryUpdated>(command, timeout).ConfigureAwait(false);
        }
        catch (RegistryRefusedException e)
        {
            throw new CommandException($"{verb}: {e.Message}");
        }
        catch (AskTimeoutException)
        {
            throw new CommandException($"{verb}: the cluster's account registry did not answer within {timeout.TotalSeconds:F0} s; nothing was changed (try again)");
        }
    }

    /// <summary>Applies the settings where the account is hosted; a refusal (another cluster key, no answer) is the command's error.</summary>
    private async Task<AccountChangeLine> ApplyAsync(AccountSettings settings, TimeSpan timeout)
    {
        var applied = await _cluster.ApplyAsync(settings, AccountOrigin.Runtime, timeout).ConfigureAwait(false);
        await _cluster.RefreshAsync(timeout).ConfigureAwait(false);
        return applied.Change == SettingsChange.Refused
            ? throw new CommandException($"account '{settings.Id}' is recorded in the cluster's registry, but not applied: {applied.Detail} (collector edit {settings.Id} applies it again)")
            : applied;
    }

    /// <summary>What to do instead when <c>collector edit|disable|enable</c> names an account of the accounts file: the file is its source.</summary>
    private static string FileAccountAdvice(string verb, string id)
    {
        var change = verb switch
        {
            "disable" => "set enabled = off in its entry there",
            "enable" => "set enabled = on in its entry there (or remove its enabled = off)",
            _ => "change its entry there",
        };
        return $"collector {verb}: account '{id}' is defined in the accounts file (the node file), not added at run time; {change}, " +
               "then run 'collector reload' (or send the node SIGHUP, or restart it) to apply the file to the whole cluster";
    }

    /// <summary>The settings of a runtime account as the cluster's registry holds them (password opened), or null.</summary>
    public async Task<AccountSettings?> SettingsAsync(string id, TimeSpan timeout)
    {
        var entry = await _cluster.AskRegistryAsync<RegistryEntry>(new GetRegistryEntry(id), timeout).ConfigureAwait(false);
        return entry.Runtime is { } runtime ? _cluster.Resolve(runtime) : null;
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
