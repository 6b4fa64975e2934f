using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Commands;
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
    private bool _stopped;

    private CollectorNode(IHost host, IDisposable? journalLock, IActorRef accounts, CollectionEnvironment environment, LogRing log)
    {
        Environment = environment;
        Host = host;
        _journalLock = journalLock;
        Accounts = accounts;
        Log = log;
    }

    /// <summary>The generic host around the actor system.</summary>
    public IHost Host { get; }

    /// <summary>What the accounts collect with (clock, destinations, the node's online condition).</summary>
    public CollectionEnvironment Environment { get; }

    /// <summary>The actor system.</summary>
    public ActorSystem System => Host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Where <c>IAccountCommand</c>s go: the shard region, or the local account directory.</summary>
    public IActorRef Accounts { get; }

    /// <summary>This node's recent log lines (<c>log tail</c>).</summary>
    public LogRing Log { get; }

    /// <summary>Prepares the journal and starts the node that <paramref name="hosting"/> names: the daemon's (<see cref="RunCommand.Node"/>) or a one-shot run's (<see cref="OnceCommand.Node"/>).</summary>
    /// <param name="environment">Collection environment; the real one when null (tests pass one with a clock they control).</param>
    public static Task<CollectorNode> StartAsync(CollectorOptions options, AccountHosting hosting, CancellationToken cancellationToken, CollectionEnvironment? environment = null) =>
        StartAsync(options, hosting == AccountHosting.Sharded ? RunCommand.Node : OnceCommand.Node, cancellationToken, environment);

    /// <summary>Prepares the journal and starts a node whose actor system <paramref name="compose"/> lists, feature by feature.</summary>
    public static async Task<CollectorNode> StartAsync(
        CollectorOptions options, Func<AkkaConfigurationBuilder, CollectorOptions, CollectionEnvironment, AkkaConfigurationBuilder> compose, CancellationToken cancellationToken, CollectionEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var journalLock = await JournalPreparation.PrepareAsync(options.Journal, cancellationToken).ConfigureAwait(false);
        IHost? host = null;
        try
        {
            var env = environment ?? CollectorHost.Environment(options);
            var log = new LogRing();
            host = CollectorHost.Build(options, env, log, akka => compose(akka, options, env));
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var accounts = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegion>(cancellationToken).ConfigureAwait(false);
            return new CollectorNode(host, journalLock, accounts, env, log);
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
        if (!_stopped)
        {
            await Host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Host.Dispose();
        _journalLock?.Dispose();
    }
}
