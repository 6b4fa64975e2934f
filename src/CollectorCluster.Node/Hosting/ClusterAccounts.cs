using System.Text;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Secrets;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// This node's hands on the cluster's accounts: the registry (the directory, one writer in the cluster) and the
/// accounts' entities wherever they are hosted. Applies settings sealed under the cluster key, applies an accounts file
/// to the whole cluster (at start, on SIGHUP, <c>collector reload</c>) reporting per account what changed, and keeps a
/// copy of the directory (refreshed when the registry's version moves) so commands know every account of the cluster.
/// </summary>
public sealed class ClusterAccounts
{
    /// <summary>
    /// Accounts asked at once when a file or the runtime accounts are applied. A start is bound by the journal's latency
    /// (an fsync per write batch, a few queries per recovery), not by the node's CPU, so many in flight fill each batch;
    /// recoveries still run at most <c>akka.persistence.max-concurrent-recoveries</c> at once, and each ask has a minute.
    /// </summary>
    public const int Parallelism = 256;

    private const int PageSize = 1000;
    private readonly IActorRef _registry;
    private readonly IActorRef _accounts;
    private readonly ClusterKey _key;
    private readonly string _configDirectory;
    private readonly string _node;
    private readonly ILoggingAdapter _log;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Directory _directory = new(-1, new Dictionary<string, AccountOrigin>(StringComparer.Ordinal));

    /// <summary>Creates the node's view over the registry and account regions.</summary>
    public ClusterAccounts(IActorRef registry, IActorRef accounts, ClusterKey key, string configDirectory, string node, ILoggingAdapter log)
    {
        _registry = registry;
        _accounts = accounts;
        _key = key;
        _configDirectory = configDirectory;
        _node = node;
        _log = log;
    }

    /// <summary>The cluster key.</summary>
    public ClusterKey Key => _key;

    /// <summary>The directory's version this node last read (-1 before the first).</summary>
    public long Version => _directory.Version;

    /// <summary>Where <paramref name="id"/> is defined in the cluster, as this node last read it; null when unknown.</summary>
    public AccountOrigin? OriginOf(string id) => _directory.Entries.TryGetValue(id, out var origin) ? origin : null;

    /// <summary>The cluster's accounts (as last read), in id order, optionally of one origin.</summary>
    public IReadOnlyList<string> Ids(AccountOrigin? origin = null) =>
        [.. _directory.Entries.Where(e => origin is null || e.Value == origin).Select(e => e.Key).Order(StringComparer.Ordinal)];

    /// <summary>Asks the registry something; a refusal is a <see cref="RegistryRefusedException"/>.</summary>
    public async Task<T> AskRegistryAsync<T>(IRegistryCommand command, TimeSpan timeout)
    {
        var answer = await _registry.Ask<object>(command, timeout).ConfigureAwait(false);
        return answer switch
        {
            T t => t,
            RegistryRefused refused => throw new RegistryRefusedException(refused.Reason),
            _ => throw new InvalidOperationException($"the account registry answered {answer.GetType().Name} to {command.GetType().Name}"),
        };
    }

    /// <summary>Waits until the registry answers (the cluster has formed and placed it); logs while it waits.</summary>
    public async Task<RegistryVersion> WaitForRegistryAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var logged = started;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await AskRegistryAsync<RegistryVersion>(GetRegistryVersion.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                if (DateTimeOffset.UtcNow - logged > TimeSpan.FromSeconds(30))
                {
                    logged = DateTimeOffset.UtcNow;
                    _log.Warning("Waiting for the account registry for {0:F0} s (is the cluster formed? min-nr-of-members?)", (logged - started).TotalSeconds);
                }
            }
        }
    }

    /// <summary>Reads the directory again when the registry's version moved (paged).</summary>
    public async Task RefreshAsync(TimeSpan timeout)
    {
        await _refreshing.WaitAsync().ConfigureAwait(false);
        try
        {
            var version = await AskRegistryAsync<RegistryVersion>(GetRegistryVersion.Instance, timeout).ConfigureAwait(false);
            if (version.Version == _directory.Version)
            {
                return;
            }

            var entries = new Dictionary<string, AccountOrigin>(StringComparer.Ordinal);
            string? after = null;
            long read;
            do
            {
                var page = await AskRegistryAsync<AccountDirectoryPage>(new GetAccountDirectory(after, PageSize), timeout).ConfigureAwait(false);
                read = page.Version;
                foreach (var entry in page.Entries)
                {
                    entries[entry.Id] = entry.Origin;
                }

                after = page.Next;
            }
            while (after is not null);
            _directory = new Directory(read, entries);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>The runtime accounts, all pages.</summary>
    public async Task<List<RuntimeAccountAdded>> RuntimeAccountsAsync(TimeSpan timeout)
    {
        var all = new List<RuntimeAccountAdded>();
        string? after = null;
        do
        {
            var page = await AskRegistryAsync<RuntimeAccountsPage>(new GetRuntimeAccounts(after, 100), timeout).ConfigureAwait(false);
            all.AddRange(page.Accounts);
            after = page.Next;
        }
        while (after is not null);
        return all;
    }

    /// <summary>A runtime account's settings as applied: its keys over the defaults, its password opened (a wrong key is a <see cref="ConfigurationException"/> naming the key file).</summary>
    public AccountSettings Resolve(RuntimeAccountAdded account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return AccountConfigParser.Resolve(account.Id, account.Settings, _key.Open(account.Id, account.Password), _configDirectory);
    }

    /// <summary>Applies settings to the account wherever it is hosted (sealed on the way); what it did.</summary>
    public async Task<AccountChangeLine> ApplyAsync(AccountSettings settings, AccountOrigin origin, TimeSpan timeout, bool onlyIfAbsent = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var command = new ApplyAccountSettings(SealedAccountSettings.Seal(settings, _key), origin, onlyIfAbsent);
        return await AskAccountAsync(settings.Id, command, timeout).ConfigureAwait(false);
    }

    /// <summary>Removes the account's settings wherever it is hosted: it collects no more.</summary>
    public Task<AccountChangeLine> RemoveAsync(string id, TimeSpan timeout) => AskAccountAsync(id, new RemoveAccountSettings(id), timeout);

    /// <summary>
    /// Applies an accounts file to the cluster. At start (<paramref name="atStart"/>) a file the cluster already applied
    /// only wakes its accounts (and configures those that have no settings yet), and an outdated copy (a version the
    /// cluster applied before its current one) is not applied at all; a reload always applies. Accounts of the cluster's
    /// file that the file lacks are removed; ids the file shares with runtime accounts are refused (the runtime one stays).
    /// </summary>
    public async Task<FileApplication> ApplyFileAsync(string path, IReadOnlyList<AccountSettings> accounts, bool atStart, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var version = await AskRegistryAsync<RegistryVersion>(GetRegistryVersion.Instance, timeout).ConfigureAwait(false);
        CheckKey(version);
        var digest = Digest(accounts);
        var freshness = FileApplicationPlan.Freshness(digest, [.. version.FileVersions.Select(v => v.Digest)]);
        await RefreshAsync(timeout).ConfigureAwait(false);
        if (atStart && freshness == FileFreshness.Outdated)
        {
            var current = version.FileVersions[0];
            _log.Error("The accounts file {0} is an older version than the one the cluster applied at {1:u} from {2}: not applied, the cluster keeps its accounts. Copy the current file here and `collector reload`.", path, current.At, current.Node);
            await WakeAsync(Ids(AccountOrigin.File), timeout).ConfigureAwait(false);
            return new FileApplication(path, freshness, []);
        }

        var plan = FileApplicationPlan.Plan(accounts.Select(a => a.Id), Ids(AccountOrigin.File).ToHashSet(StringComparer.Ordinal), Ids(AccountOrigin.Runtime).ToHashSet(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        var conflicts = new List<string>(plan.Conflicts);
        foreach (var page in plan.Apply.Chunk(PageSize))
        {
            conflicts.AddRange((await AskRegistryAsync<RegistryUpdated>(new ListFileAccounts(page, now), timeout).ConfigureAwait(false)).Conflicts);
        }

        var byId = accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var onlyIfAbsent = atStart && freshness == FileFreshness.Current;
        var lines = new List<AccountChangeLine>();
        lines.AddRange(conflicts.Distinct(StringComparer.Ordinal).Select(id => new AccountChangeLine(id, SettingsChange.Refused, [], "defined in the accounts file and added at run time; the runtime account stays (collector remove it to use the file's)")));
        lines.AddRange(await ForEachAsync(plan.Apply.Where(id => !conflicts.Contains(id)), id => ApplyAsync(byId[id], AccountOrigin.File, timeout, onlyIfAbsent)).ConfigureAwait(false));
        if (plan.Remove.Count > 0)
        {
            foreach (var page in plan.Remove.Chunk(PageSize))
            {
                await AskRegistryAsync<RegistryUpdated>(new UnlistFileAccounts(page, now), timeout).ConfigureAwait(false);
            }

            lines.AddRange(await ForEachAsync(plan.Remove, id => RemoveAsync(id, timeout)).ConfigureAwait(false));
        }

        await AskRegistryAsync<RegistryUpdated>(new RecordAccountsFile(digest, _key.Id, _node, now), timeout).ConfigureAwait(false);
        await RefreshAsync(timeout).ConfigureAwait(false);
        return new FileApplication(path, freshness, [.. lines.OrderBy(l => l.Id, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Wakes every runtime account where it is hosted, configuring it from the registry when its own journal has no
    /// settings yet (accounts added before the settings lived in their journals). Opening each password checks this
    /// node's cluster key: a key that cannot is a <see cref="ConfigurationException"/> naming the key file.
    /// </summary>
    public async Task<IReadOnlyList<AccountChangeLine>> WakeRuntimeAccountsAsync(TimeSpan timeout)
    {
        var runtime = await RuntimeAccountsAsync(timeout).ConfigureAwait(false);
        var settings = runtime.Select(Resolve).ToList();
        return await ForEachAsync(settings, s => ApplyAsync(s, AccountOrigin.Runtime, timeout, onlyIfAbsent: true)).ConfigureAwait(false);
    }

    /// <summary>Re-applies every runtime account from the registry (a reload's repair: one whose change never reached it gets it now).</summary>
    public async Task<IReadOnlyList<AccountChangeLine>> ApplyRuntimeAccountsAsync(TimeSpan timeout)
    {
        var runtime = await RuntimeAccountsAsync(timeout).ConfigureAwait(false);
        return await ForEachAsync(runtime.Select(Resolve).ToList(), s => ApplyAsync(s, AccountOrigin.Runtime, timeout)).ConfigureAwait(false);
    }

    /// <summary>The keyed digest of a file's accounts (secrets included, so a new password is a new version; nothing readable without the key).</summary>
    public string Digest(IReadOnlyList<AccountSettings> accounts)
    {
        var text = new StringBuilder();
        foreach (var a in accounts.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            text.Append(a).Append('\u0001').Append(a.Password.Reveal()).Append('\u0001')
                .Append(a.OAuth2?.ClientSecret?.Reveal()).Append('\u0001').Append(a.OAuth2?.RefreshToken.Reveal()).Append('\n');
        }

        return _key.Digest(text.ToString());
    }

    /// <summary>Refuses to go on with a key other than the one the cluster's settings were sealed with.</summary>
    private void CheckKey(RegistryVersion version)
    {
        if (version.FileVersions.FirstOrDefault() is { } latest && latest.KeyId != _key.Id)
        {
            throw new ConfigurationException(
                $"collector.secrets.key-file: this node's cluster key {_key.Path} (id {_key.Id}) is not the cluster's (id {latest.KeyId}, used by {latest.Node} at {latest.At:u}); copy the cluster's key file to this node");
        }
    }

    private async Task WakeAsync(IEnumerable<string> ids, TimeSpan timeout) =>
        await ForEachAsync(ids, async id =>
        {
            await _accounts.Ask<object>(new ShardRegion.StartEntity(id), timeout).ConfigureAwait(false);
            return new AccountChangeLine(id, SettingsChange.Unchanged, [], "");
        }).ConfigureAwait(false);

    private async Task<AccountChangeLine> AskAccountAsync(string id, IAccountCommand command, TimeSpan timeout)
    {
        try
        {
            var r = await _accounts.Ask<AccountSettingsApplied>(command, timeout).ConfigureAwait(false);
            return new AccountChangeLine(id, r.Change, r.ChangedKeys, r.Detail);
        }
        catch (AskTimeoutException)
        {
            return new AccountChangeLine(id, SettingsChange.Refused, [], $"the account did not answer within {timeout.TotalSeconds:F0} s (its node may be down; the next reload or its start applies it)");
        }
    }

    private static async Task<IReadOnlyList<AccountChangeLine>> ForEachAsync<T>(IEnumerable<T> items, Func<T, Task<AccountChangeLine>> apply)
    {
        using var gate = new SemaphoreSlim(Parallelism);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                return await apply(item).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private sealed record Directory(long Version, IReadOnlyDictionary<string, AccountOrigin> Entries);
}
