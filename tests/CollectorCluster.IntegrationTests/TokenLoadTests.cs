using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The connection tokens under load and under damage, against real Dovecot, counted at the server side: five
/// "servers" (counting proxies on 127.0.0.1–5, all in front of the one Dovecot) so both the per-server and the
/// node-wide caps bind; and sessions killed mid-lease, after which every token is back and later sessions are served.
/// The node runs in this process (as <c>collector once</c> does) so the test can read the tokens' figures.
/// </summary>
public sealed class TokenLoadTests(DovecotFixture fixture) : IDisposable
{
    private const int Servers = 5;

    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Five_hundred_accounts_stay_within_max_pop3_clients_and_max_per_server_and_all_are_collected()
    {
        const int accounts = 500;
        var all = new OpenConnections();
        var proxies = Enumerable.Range(1, Servers).Select(i => new CountingProxy(Server.PlainPort, IPAddress.Parse("127.0.0." + i), all)).ToList();
        try
        {
            var (specs, messages) = await CreateAccountsAsync("load", accounts, proxies);
            node.WriteNodeFile(specs.ToArray());
            File.AppendAllText(node.NodeFile, "collector { max-pop3-clients = 10, max-per-server = 4 }\n");

            var clock = Stopwatch.StartNew();
            var (results, figures) = await CollectAllAsync(specs);
            clock.Stop();

            var failed = results.Where(r => !r.Succeeded).Select(r => $"{r.AccountId}: {r.Detail}").ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} failed, e.g. {string.Join("; ", failed.Take(3))}");
            Assert.All(results, r => Assert.Equal(1, r.Collected));
            node.AssertHoldsExactly(messages);

            // Counted where the server sees them, not what the collector says.
            Assert.InRange(all.Max, 1, 10);
            Assert.All(proxies, p => Assert.InRange(p.MaxOpen, 1, 4));
            Assert.Equal(accounts, proxies.Sum(p => p.Total));
            Assert.Equal(0, figures.Held);
            Assert.Equal(0, figures.Queued);
            Assert.Equal(accounts, figures.GrantedTotal);
            Assert.Equal(Servers, figures.Servers.Count);
            Assert.True(figures.WaitMax >= figures.WaitP99 && figures.WaitP99 >= figures.WaitP50);

            Output?.WriteLine($"{accounts} accounts on {Servers} servers in {clock.Elapsed.TotalSeconds:0.0} s; open at once: node {all.Max} (cap 10), per server {string.Join(", ", proxies.Select(p => p.MaxOpen))} (cap 4)");
            Output?.WriteLine($"lease wait: p50 {figures.WaitP50.TotalMilliseconds:0} ms, p99 {figures.WaitP99.TotalMilliseconds:0} ms, max {figures.WaitMax.TotalMilliseconds:0} ms (over the last {ServerBudget.WaitWindow} grants of each server)");
            foreach (var s in figures.Servers)
            {
                Output?.WriteLine($"  {s.Server}: granted {s.GrantedTotal}, wait p50 {s.WaitP50.TotalMilliseconds:0} ms, max {s.WaitMax.TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            foreach (var p in proxies)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sessions_killed_mid_lease_give_every_token_back_and_later_sessions_are_served()
    {
        const int accounts = 12;
        await using var proxy = new CountingProxy(Server.PlainPort);
        var (specs, messages) = await CreateAccountsAsync("kill", accounts, [proxy]);
        node.WriteNodeFile(specs.ToArray());
        File.AppendAllText(node.NodeFile, "collector { max-pop3-clients = 3, max-per-server = 3 }\n");
        var options = CollectorConfigLoader.Load(node.NodeFile);

        await using (var collector = await NodeScenario.StartAsync(options, Ct))
        {
            var tokens = await collector.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ConnectionTokens>(Ct);
            foreach (var account in options.Accounts)
            {
                await collector.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), Ct);
            }

            // Round 1: three sessions dial into a proxy that holds the greeting back, so they hold all three leases.
            proxy.Hold();
            var first = options.Accounts.Take(3).Select(a => collector.Accounts.Ask<CollectionResult>(new CollectNow(a.Id), Ct)).ToList();
            var busy = await FiguresWhenAsync(tokens, f => f.Held == 3 && proxy.OpenNow == 3);
            Assert.Equal(3, busy.Held);

            // Kill their lease holders mid-lease: the slots are reclaimed (DeathWatch) and go to the sessions queued next.
            collector.System.ActorSelection("/user/lease-*").Tell(PoisonPill.Instance);
            await FiguresWhenAsync(tokens, f => f.ReclaimedTotal == 3 && f.Held == 0);
            var rest = options.Accounts.Skip(3).Select(a => collector.Accounts.Ask<CollectionResult>(new CollectNow(a.Id), Ct)).ToList();
            var reclaimed = await FiguresWhenAsync(tokens, f => f.Held == 3 && f.Queued == accounts - 6 && proxy.OpenNow == 6);
            Assert.Equal(3, reclaimed.ReclaimedTotal);
            Assert.Equal(3, reclaimed.Held);
            var round1 = first.Concat(rest).ToList();

            // Kill every connection at the proxy (sessions mid-lease fail), then let the rest through.
            var aborted = proxy.AbortAll();
            proxy.Release();
            var results1 = await Task.WhenAll(round1).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            var after1 = await FiguresWhenAsync(tokens, f => f.Held == 0 && f.Queued == 0);
            Assert.Equal(0, after1.Held);
            Assert.Equal(0, after1.Queued);
            Assert.Equal(0, after1.Connecting);
            Assert.True(results1.Count(r => !r.Succeeded) >= 6, "the six aborted sessions should have failed");
            Assert.Equal(3, after1.ReclaimedTotal); // the aborted sessions with live holders released normally

            // Round 2: later sessions are still served, and every message arrives exactly once overall.
            var results2 = await Task.WhenAll(options.Accounts.Select(a => collector.Accounts.Ask<CollectionResult>(new CollectNow(a.Id), Ct))).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            var failed = results2.Where(r => !r.Succeeded).Select(r => $"{r.AccountId}: {r.Detail}").ToList();
            Assert.True(failed.Count == 0, string.Join("; ", failed));
            Assert.Equal(accounts, results1.Sum(r => r.Collected) + results2.Sum(r => r.Collected));
            var end = await FiguresWhenAsync(tokens, f => f.Held == 0 && f.Queued == 0);
            Assert.Equal(0, end.Held);
            Assert.Equal(0, end.Queued);
            Output?.WriteLine($"aborted {aborted} connection(s); round 1: {results1.Count(r => !r.Succeeded)} failed; reclaimed {end.ReclaimedTotal}, granted {end.GrantedTotal}, held {end.Held}");
        }

        node.AssertHoldsExactly(messages);
    }

    private static async Task<TokenFigures> FiguresWhenAsync(IActorRef tokens, Func<TokenFigures, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var f = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, TimeSpan.FromSeconds(10), Ct);
            if (condition(f) || DateTime.UtcNow > deadline)
            {
                return f;
            }

            await Task.Delay(10, Ct);
        }
    }

    private async Task<(List<AccountSpec> Specs, List<TestMessage> Messages)> CreateAccountsAsync(string prefix, int count, IReadOnlyList<CountingProxy> proxies)
    {
        var specs = new List<AccountSpec>();
        var messages = new List<TestMessage>();
        for (var i = 0; i < count; i++)
        {
            var user = await Server.CreateUserAsync(prefix + i.ToString("D3", CultureInfo.InvariantCulture), Ct);
            var message = MessageFactory.Create(1024 + (i % 50), 10_000 + i);
            Server.DropMessage(user.Name, message);
            messages.Add(message);
            var server = i % proxies.Count;
            specs.Add(new AccountSpec(prefix + i.ToString("D3", CultureInfo.InvariantCulture), user, proxies[server].Port) { Host = "127.0.0." + (server + 1) });
        }

        return (specs, messages);
    }

    /// <summary>Runs every account once in an in-process node (as <c>collector once</c>) and reads the token figures before it stops.</summary>
    private async Task<(CollectionResult[] Results, TokenFigures Figures)> CollectAllAsync(IReadOnlyList<AccountSpec> specs)
    {
        var options = CollectorConfigLoader.Load(node.NodeFile);
        Assert.Equal(specs.Count, options.Accounts.Count);
        await using var collector = await NodeScenario.StartAsync(options, Ct);
        var tokens = await collector.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ConnectionTokens>(Ct);
        var results = await Task.WhenAll(options.Accounts.Select(async account =>
        {
            await collector.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), Ct);
            return await collector.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), Ct);
        })).WaitAsync(TimeSpan.FromMinutes(3), Ct);
        var figures = await FiguresWhenAsync(tokens, f => f.Held == 0 && f.Queued == 0);
        return (results, figures);
    }

    public void Dispose() => node.Dispose();
}
