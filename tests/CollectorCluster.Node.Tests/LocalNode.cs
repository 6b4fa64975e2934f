using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Tests;

/// <summary>A real node (local account hosting, real SQLite journal) started from a HOCON text, for actor-level tests.</summary>
internal sealed class LocalNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IDisposable? _journalLock;

    private LocalNode(IHost host, IDisposable? journalLock, CollectorOptions options, IActorRef accounts)
    {
        _host = host;
        _journalLock = journalLock;
        Options = options;
        Accounts = accounts;
    }

    public CollectorOptions Options { get; }

    public IActorRef Accounts { get; }

    public static async Task<LocalNode> StartAsync(string configFile, CancellationToken ct)
    {
        var options = CollectorConfigLoader.Load(configFile);
        var journalLock = await JournalPreparation.PrepareAsync(options.Journal, ct);
        var host = CollectorHost.Build(options, CollectorHost.Environment(options), AccountHosting.Local);
        await host.StartAsync(ct);
        var accounts = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegion>(ct);
        return new LocalNode(host, journalLock, options, accounts);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        _journalLock?.Dispose();
    }
}
