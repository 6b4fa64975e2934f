using Akka.Actor;
using Akka.Event;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The accounts of the node's HOCON file as last loaded, and their reload (SIGHUP): new accounts are configured,
/// changed ones reconfigured, ones that left the file disabled for the rest of the run (after a restart they are not
/// configured at all). Accounts added at run time are not in the file and never touched. A file that no longer
/// loads is logged and ignored: the running configuration stays.
/// </summary>
public sealed class AccountsFile
{
    private readonly string _path;
    private readonly IActorRef _accounts;
    private readonly ILoggingAdapter _log;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile IReadOnlyList<AccountSettings> _current;

    /// <summary>Starts from the accounts loaded at start.</summary>
    public AccountsFile(string path, IReadOnlyList<AccountSettings> loaded, IActorRef accounts, ILoggingAdapter log)
    {
        _path = path;
        _current = loaded;
        _accounts = accounts;
        _log = log;
    }

    /// <summary>The file's accounts now.</summary>
    public IReadOnlyList<AccountSettings> Current => _current;

    /// <summary>Reloads the file and applies the difference; returns it (null when the file did not load).</summary>
    public async Task<AccountReconciliation?> ReloadAsync(TimeSpan timeout)
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
                return null;
            }

            var plan = AccountReconciliation.Plan(_current, next);
            await Task.WhenAll(plan.Added.Concat(plan.Changed).Concat(plan.Removed.Select(r => r with { Enabled = false }))
                .Select(s => _accounts.Ask<AccountAck>(new ConfigureAccount(s), timeout))).ConfigureAwait(false);
            _current = next;
            _log.Info("{0}", $"Reloaded {_path}: {plan.Added.Count} added{Ids(plan.Added)}, {plan.Changed.Count} changed{Ids(plan.Changed)}, {plan.Removed.Count} removed{Ids(plan.Removed)}");
            return plan;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private static string Ids(IReadOnlyList<AccountSettings> accounts) => accounts.Count == 0 ? "" : " (" + string.Join(", ", accounts.Select(a => a.Id)) + ")";
}
