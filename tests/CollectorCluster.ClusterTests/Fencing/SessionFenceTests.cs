using Akka.Actor;
using Akka.Configuration;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests.Fencing;

/// <summary>
/// The journal fence behind "one POP3 session per mailbox": two live incarnations of one account (what a stale node
/// has during a partition) share the PostgreSQL journal. The first to write <c>SessionStarted</c> dials; the stale
/// one's write collides on the journal's unique (persistence_id, sequence_number), it stops, and it never dials.
/// </summary>
public sealed class SessionFenceTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string root = Directory.CreateTempSubdirectory("cc-fence-").FullName;
    private int dialsA;
    private int dialsB;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stale_incarnation_fails_its_SessionStarted_write_and_stops_without_dialing()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        var file = Path.Combine(root, "node.hocon");
        File.WriteAllText(file, $$"""
            collector {
              state-directory = "{{Path.Combine(root, "state")}}"
              journal { provider = postgresql, connection-string = "{{postgres.ConnectionString}}" }
              accounts = [ { id = fenced, pop3-server = "127.0.0.1", port = 1, pop3-account = "u", password = "p", ssl = none,
                             mailbox = "maildir:{{Path.Combine(root, "Maildir")}}" } ]
            }
            """);
        var options = CollectorConfigLoader.Load(file);
        var setup = CollectorAkkaExtensions.StandaloneSetup(options, ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING"));
        var settings = options.Accounts.Single();
        using var systemA = ActorSystem.Create("fence-a", setup);
        using var systemB = ActorSystem.Create("fence-b", setup);

        // Incarnation A starts and configures (writes AccountConfigured); then B recovers the same history.
        var a = systemA.ActorOf(AccountActor.Props("fenced", Environment(() => Interlocked.Increment(ref dialsA)), new ConfigureAccount(settings, Scheduled: false)));
        await WaitConfiguredAsync(a);
        var b = systemB.ActorOf(AccountActor.Props("fenced", Environment(() => Interlocked.Increment(ref dialsB)), new ConfigureAccount(settings, Scheduled: false)));
        await WaitConfiguredAsync(b);

        // A collects: its SessionStarted takes the next sequence number, and it dials.
        var result = await a.Ask<CollectionResult>(new CollectNow("fenced"), Wait, Ct);
        Assert.False(result.Succeeded); // nobody listens on port 1: the dial is what counts here
        Assert.Equal(1, Volatile.Read(ref dialsA));

        // B, stale, tries too: its write collides, the incarnation stops, and no second session is ever dialed.
        var stopped = b.WatchAsync(Ct);
        b.Tell(new CollectNow("fenced"));
        Assert.True(await stopped.WaitAsync(Wait, Ct));
        Assert.Equal(0, Volatile.Read(ref dialsB));

        // A, the live incarnation, is unaffected and collects again.
        await a.Ask<CollectionResult>(new CollectNow("fenced"), Wait, Ct);
        Assert.Equal(2, Volatile.Read(ref dialsA));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static CollectionEnvironment Environment(Action onDial) => new(
        (_, _) =>
        {
            onDial();
            throw new IOException("test: no POP3 server here");
        },
        _ => throw new InvalidOperationException("test: nothing is delivered"),
        new FreeLeases(),
        TimeProvider.System,
        CollectionTuning.Default);

    private static async Task WaitConfiguredAsync(IActorRef account)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(Wait);
        while (!(await account.Ask<AccountStatus>(new GetAccountStatus("fenced"), Wait, limit.Token)).Configured)
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
