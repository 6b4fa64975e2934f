using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.Node.Tests;

/// <summary>The account registry on the daemon's node (a cluster of one, the SQL journal): changes that change nothing cost nothing.</summary>
public sealed class AccountRegistryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-registry-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Every node applies its accounts file at start, so most registry requests change nothing. An empty write must never
    /// reach the SQL journal: it fails there without failing anyone, and ten such failures opened the journal's circuit
    /// breaker, failing every account of the node for half a minute.
    /// </summary>
    [Fact]
    public async Task Requests_that_change_nothing_never_write_and_never_trip_the_journal()
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $"collector.state-directory = \"{Path.Combine(_dir, "state")}\"");
        var options = CollectorConfigLoader.Load(file, _ => null);
        await using var node = await CollectorNode.StartAsync(options, RunCommand.Node, Ct);
        var registry = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegistry>(Ct);
        var first = await AskAsync<RegistryUpdated>(registry, new ListFileAccounts(["a", "b"], At));
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(first.Version, (await AskAsync<RegistryUpdated>(registry, new ListFileAccounts(["a", "b"], At))).Version);
            Assert.Equal(first.Version, (await AskAsync<RegistryUpdated>(registry, new UnlistFileAccounts(["nosuch"], At))).Version);
        }

        var added = await AskAsync<RegistryUpdated>(registry, new AddRuntimeAccount(new RuntimeAccountAdded("r", new AccountOptions { Pop3Server = "h" }, new SealedPassword("n", "c"), At)));
        Assert.Equal(first.Version + 1, added.Version);
        var page = await AskAsync<AccountDirectoryPage>(registry, new GetAccountDirectory(null, 10));
        Assert.Equal(["a", "b", "r"], page.Entries.Select(e => e.Id));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Asks the registry, again while the cluster of one forms and sharding places it.</summary>
    private static async Task<T> AskAsync<T>(IActorRef registry, IRegistryCommand message)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await registry.Ask<T>(message, TimeSpan.FromSeconds(10), Ct);
            }
            catch (AskTimeoutException) when (attempt < 6)
            {
                // the cluster of one is still forming
            }
        }
    }
}
