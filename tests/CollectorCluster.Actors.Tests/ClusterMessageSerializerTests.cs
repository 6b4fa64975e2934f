using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tests;

/// <summary>
/// The serializer of everything that crosses nodes: every message of the protocol files is bound to it (the binding
/// audit: a new message without a binding fails here), each round-trips with a versioned manifest and no CLR type
/// name, and the one message that carries a plain password is refused.
/// </summary>
public sealed class ClusterMessageSerializerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Public types of the protocol namespaces that are not messages (parts of messages, actors' helpers).</summary>
    private static readonly HashSet<Type> NotMessages =
    [
        typeof(MessageLine), typeof(DirectoryEntry), typeof(ActorConnectionLeases), typeof(TokenMetrics), typeof(SessionCpuMeter),
        // Published on the node's own event stream for its metrics and log, never sent to an actor of another node.
        typeof(CollectionObserved), typeof(JournalWriteObserved),
        // The alarm's journal (the journal's serializer, AccountEventSerializerTests), never sent.
        typeof(AccountSlept), typeof(AlarmSnapshot),
    ];

    private readonly ActorSystem _system;
    private readonly ClusterMessageSerializer _serializer;

    public ClusterMessageSerializerTests()
    {
        // Bound as the node binds it (CollectorAkkaExtensions.WithCollectorSerialization).
        var setup = BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))
            .And(SerializationSetup.Create(system => [SerializerDetails.Create("collector-cluster", new ClusterMessageSerializer(system), [.. ClusterMessageSerializer.BoundTypes])]));
        _system = ActorSystem.Create("cluster-serializer-tests", setup);
        _serializer = new ClusterMessageSerializer((ExtendedActorSystem)_system);
    }

    private static readonly AccountStatus Status = new(
        "a", "fred@pop", "maildir:/m", true, true, false, At, new CollectionOutcome(At, At.AddSeconds(2), true, 3, 300, ""), 5, 50, 5000, 0,
        AccountHealth.NeedsOperator, "bad password", At, 300, "0", "EXPIRE 0 with leave-mail-on-server", Paused: true);

    private static readonly SealedAccountSettings Sealed = new(
        "a", new AccountOptions { Pop3Server = "pop", Port = 110, CheckEvery = TimeSpan.FromMinutes(5), Ssl = TlsMode.StartTls }, new SealedPassword("bm9uY2U=", "Y2lwaGVy"), null);

    public static TheoryData<object> Samples() =>
    [
        new CollectNow("a"),
        new GetAccountStatus("a"),
        new GetMessageLines("a"),
        new MarkMessage("a", "u1", MarkAction.Delete),
        new PreviewReset("a", At),
        new ResetCollector("a", null),
        new PauseAccount("a", true),
        new ResumeAccount("a"),
        new AccountAck("a"),
        new CollectionResult("a", "fred@pop", true, 3, 2, 1, 1234, TimeSpan.FromSeconds(1.5), "warning"),
        Status,
        new MessageLines("a", [new MessageLine("u1", 10, At, At, "downloaded"), new MessageLine("u2", 0, null, null, "marked-delete")]),
        new MarkResult("a", "u1", true, "marked"),
        new ResetPreviewResult("a", 3, 300),
        new PauseResult("a", true, false),
        new ResumeResult("a", AccountHealth.BackingOff, "resumed"),
        new ApplyAccountSettings(Sealed, AccountOrigin.Runtime),
        new ApplyAccountSettings(Sealed, AccountOrigin.File, OnlyIfAbsent: true),
        new RemoveAccountSettings("a"),
        new AccountSettingsApplied("a", SettingsChange.Changed, ["password", "check-every"], ""),
        StopAccount.Instance,
        new AddRuntimeAccount(new RuntimeAccountAdded("r", Sealed.Settings, Sealed.Password, At)),
        new ReplaceRuntimeAccount(new RuntimeAccountAdded("r", Sealed.Settings, Sealed.Password, At)),
        new RemoveRuntimeAccount("r", At),
        new GetRegistryEntry("r"),
        new RegistryEntry("r", AccountOrigin.Runtime, new RuntimeAccountAdded("r", Sealed.Settings, Sealed.Password, At)),
        new RegistryEntry("x", null, null),
        new GetRuntimeAccounts("m", 100),
        new RuntimeAccountsPage([new RuntimeAccountAdded("r", Sealed.Settings, Sealed.Password, At)], "r"),
        new ListFileAccounts(["a", "b"], At),
        new UnlistFileAccounts(["c"], At),
        new RecordAccountsFile("d1", "k1", "akka.tcp://collector@h:4053", At),
        new RegistryUpdated(7, ["r"]),
        new RegistryRefused("exists already"),
        GetRegistryVersion.Instance,
        new RegistryVersion(7, [new AccountsFileApplied("d1", "k1", "node1", At)]),
        new GetAccountDirectory(null, 1000),
        new AccountDirectoryPage(7, [new DirectoryEntry("a", AccountOrigin.File), new DirectoryEntry("r", AccountOrigin.Runtime)], null),
        StopRegistry.Instance,
        new SleepUntil("a", At.AddMinutes(9), At.AddMinutes(10), Status, 3),
        new SleepGranted("a", 3),
        new AccountAwake("a"),
        new GetSleeperStatus("a"),
        new WakeAccount("a", At.AddMinutes(9), At.AddMinutes(10)),
        new ListSleepers("7"),
        new Sleepers("7", ["a", "b"]),
        new LocateAccount("a"),
        new GetCollectionHistory("a", 10),
        new CollectionHistory("a", [new CollectionOutcome(At, At.AddSeconds(2), true, 3, 300, ""), new CollectionOutcome(At, At.AddSeconds(1), false, 0, 0, "connect: refused")]),
        new RequestLease("a", "pop.example", 3),
        new LeaseGranted(5),
        new LeaseConnected(5),
        new LeaseProgress(5),
        new LeaseRevoked(5),
        new ReleaseLease(5),
        new AcquireServerLease("pop.example", "n1-5", "a", 3, At),
        new ServerLeaseGranted("pop.example", "n1-5"),
        new ReleaseServerLease("pop.example", "n1-5"),
        new RollCall("pop.example"),
        new RollCallAnswer("pop.example", [new LeaseReport("n1-5", "a", 0, At, true), new LeaseReport("n1-6", "b", 1, At, false)]),
        new GetServerFigures("pop.example"),
        new ServerFigures([new ServerTokenFigures("pop.example", 1, 2, 0, 10, 1, [TimeSpan.FromSeconds(1)])]),
        StopServerGovernor.Instance,
        GetTokenFigures.Instance,
        new TokenFigures(1, 2, 0, new Dictionary<string, int> { ["pop.example"] = 2 }, 10, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3))
        {
            Servers = [new ServerTokenFigures("pop.example", 1, 2, 0, 10, 1, [TimeSpan.FromSeconds(1)])],
        },
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_message_round_trips_with_a_versioned_manifest_and_no_type_names(object message)
    {
        var manifest = _serializer.Manifest(message);
        Assert.Matches(@"^[A-Za-z]+\.v[0-9]+$", manifest);
        var bytes = _serializer.ToBinary(message);
        Assert.DoesNotContain("$type", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain("CollectorCluster", System.Text.Encoding.UTF8.GetString(bytes));
        var back = _serializer.FromBinary(bytes, manifest);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
    }

    [Fact]
    public void Every_supported_type_has_a_sample()
    {
        var sampled = Samples().Select(row => row.Data.GetType()).ToHashSet();
        Assert.All(ClusterMessageSerializer.SupportedTypes, t => Assert.Contains(t, sampled));
    }

    /// <summary>
    /// The binding audit: every public type of the protocol namespaces (accounts, tokens, registry) that is not an actor
    /// or a part of a message is found, by Akka's own lookup, to go to this serializer, never to the default one.
    /// </summary>
    [Fact]
    public void Every_message_type_of_the_protocols_is_bound_to_this_serializer()
    {
        string[] protocols = ["CollectorCluster.Actors.Accounts", "CollectorCluster.Actors.Tokens", "CollectorCluster.Actors.Registry", "CollectorCluster.Actors.Sleep"];
        var messages = typeof(ClusterMessageSerializer).Assembly.GetTypes()
            .Where(t => t.IsPublic && protocols.Contains(t.Namespace) && !t.IsInterface && !t.IsEnum && !(t.IsAbstract && t.IsSealed))
            .Where(t => !typeof(ActorBase).IsAssignableFrom(t) && !NotMessages.Contains(t))
            .ToList();
        Assert.True(messages.Count > 40, $"the audit found only {messages.Count} message types: is it looking in the right place?");
        var serialization = _system.Serialization;
        var unbound = messages.Where(t => serialization.FindSerializerForType(t) is not ClusterMessageSerializer).Select(t => t.FullName).ToList();
        Assert.True(unbound.Count == 0, "Messages without an explicit binding (they would travel through Akka's default serializer, with CLR type names): " + string.Join(", ", unbound));
    }

    [Fact]
    public void A_plain_password_never_crosses_a_node()
    {
        var configure = new ConfigureAccount(new AccountSettings { Id = "a", Pop3Server = "h", Port = 110, Pop3Account = "u", Password = new Secret("pw-secret"), Mailbox = "m" });
        Assert.IsType<ClusterMessageSerializer>(_system.Serialization.FindSerializerFor(configure));
        var e = Assert.Throws<SerializationException>(() => _serializer.ToBinary(configure));
        Assert.Contains(nameof(ApplyAccountSettings), e.Message);
        Assert.DoesNotContain("pw-secret", e.ToString());
    }

    [Fact]
    public void An_unknown_or_malformed_message_is_a_clear_error()
    {
        Assert.Contains("CollectNow.v9", Assert.Throws<SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "CollectNow.v9")).Message);
        Assert.Contains("CollectNow.v1", Assert.Throws<SerializationException>(() => _serializer.FromBinary("{not json"u8.ToArray(), "CollectNow.v1")).Message);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
