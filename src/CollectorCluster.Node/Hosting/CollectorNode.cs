using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Node.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// A started node: the journal prepared (and, for SQLite, locked), the host running, and the accounts'
/// entry point resolved. Disposing stops the host, letting sessions finish, then releases the journal.
/// </summary>
public sealed class CollectorNode : IAsyncDisposable
{
    private readonly IDisposable? _journalLock;
    private OnlineProbe? _probe;
    private bool _stopped;

    private CollectorNode(IHost host, IDisposable? journalLock, IActorRef accounts, Actors.Collection.CollectionEnvironment environment)
    {
        Environment = environment;
        Host = host;
        _journalLock = journalLock;
        Accounts = accounts;
    }

    /// <summary>The generic host around the actor system.</summary>
    public IHost Host { get; }

    /// <summary>What the accounts collect with (clock, destinations, the node's online condition).</summary>
    public Actors.Collection.CollectionEnvironment Environment { get; }

    /// <summary>The actor system.</summary>
    public ActorSystem System => Host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Where <c>IAccountCommand</c>s go: the shard region, or the local account directory.</summary>
    public IActorRef Accounts { get; }

    /// <summary>Prepares the journal and starts the node.</summary>
    /// <param name="environment">Collection environment; the real one when null (tests pass one with a clock they control).</param>
    public static async Task<CollectorNode> StartAsync(CollectorOptions options, AccountHosting hosting, CancellationToken cancellationToken, Actors.Collection.CollectionEnvironment? environment = null)
    {
        var journalLock = await JournalPreparation.PrepareAsync(options.Journal, cancellationToken).ConfigureAwait(false);
        IHost? host = null;
        try
        {
            environment ??= CollectorHost.Environment(options);
            host = CollectorHost.Build(options, environment, hosting);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var accounts = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegion>(cancellationToken).ConfigureAwait(false);
            return new CollectorNode(host, journalLock, accounts, environment)
            {
                _probe = OnlineProbe.Start(OnlineOptions.FromConfig(options.Hocon), environment.Online, environment.Clock),
            };
        }
        catch
        {
            host?.Dispose();
            journalLock?.Dispose();
            throw;
        }
    }

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops the host.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        await Host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        _stopped = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.DisposeAsync().ConfigureAwait(false);
        }

        if (!_stopped)
        {
            await Host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Host.Dispose();
        _journalLock?.Dispose();
    }
}
