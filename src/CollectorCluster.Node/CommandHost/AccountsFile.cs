using Akka.Event;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The node's accounts file as last loaded, and its reload (SIGHUP or <c>collector reload</c>, at any node), which
/// applies it to the whole cluster: new accounts are configured and changed ones reconfigured wherever they are
/// hosted, accounts of the cluster's file that left it are removed (they collect no more), and each account reports
/// what changed. Runtime accounts are re-applied from the registry (a repair for one a change never reached); the file
/// cannot change them. A file that no longer loads is logged and refused: the running accounts stay.
/// </summary>
public sealed class AccountsFile
{
    private readonly string _path;
    private readonly ClusterAccounts _cluster;
    private readonly ILoggingAdapter _log;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile IReadOnlyList<AccountSettings> _current;

    /// <summary>Starts from the accounts loaded at start.</summary>
    public AccountsFile(string path, IReadOnlyList<AccountSettings> loaded, ClusterAccounts cluster, ILoggingAdapter log)
    {
        _path = path;
        _current = loaded;
        _cluster = cluster;
        _log = log;
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <summary>The file's accounts now.</summary>
    public IReadOnlyList<AccountSettings> Current => _current;

    /// <summary>This node's file ids now.</summary>
    public IReadOnlyCollection<string> Ids => [.. _current.Select(a => a.Id)];

    /// <summary>
    /// Applies the file as loaded at start to the cluster (the node's start): a version the cluster already applied only
    /// wakes its accounts; an outdated copy is not applied (logged). Logs the outcome.
    /// </summary>
    public async Task<FileApplication> ApplyAtStartAsync(TimeSpan timeout)
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            var applied = await _cluster.ApplyFileAsync(_path, _current, atStart: true, timeout).ConfigureAwait(false);
            if (!applied.Outdated)
            {
                _log.Info("{0}", $"Applied {_path} at start: {applied.Summary()}");
            }

            return applied;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Reloads the file and applies it to the whole cluster; returns what changed. A file that does not load is a <see cref="ConfigurationException"/> (logged; nothing changes).</summary>
    public async Task<FileApplication> ReloadAsync(TimeSpan timeout)
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            IReadOnlyList<AccountSettings> next;
            try
            {
                next = CollectorConfigLoader.Load(_path).Accounts;
            }
            catch (ConfigurationException e)
            {
                _log.Error("Reload of {0} refused, the running accounts stay: {1}", _path, e.Message);
                throw;
            }

            var applied = await _cluster.ApplyFileAsync(_path, next, atStart: false, timeout).ConfigureAwait(false);
            var runtime = await _cluster.ApplyRuntimeAccountsAsync(timeout).ConfigureAwait(false);
            _current = next;
            var all = new FileApplication(_path, applied.Freshness, [.. applied.Accounts, .. runtime.Where(r => r.Change != Actors.Accounts.SettingsChange.Unchanged)]);
            _log.Info("{0}", $"Reloaded {_path} for the cluster: {all.Summary()}");
            foreach (var line in all.Accounts.Where(a => a.Change != Actors.Accounts.SettingsChange.Unchanged))
            {
                _log.Info("{0}", "Reload: " + line);
            }

            return all;
        }
        finally
        {
            _reloading.Release();
        }
    }
}
