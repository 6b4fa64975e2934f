using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Actors.Tests.Accounts;

/// <summary>
/// An account gets its settings sealed from anywhere in the cluster, keeps them in its own journal, and a new
/// incarnation (another node after a hand-off or a kill) collects by them without being told again; removal is
/// journaled too; a node whose key cannot open them refuses them.
/// </summary>
public sealed class AccountSettingsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly ActorSystem _system = ActorSystem.Create("account-settings", ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A key stand-in: AES is the cluster key's business, the account only needs open(seal(x)) = x per context.</summary>
    private sealed class Sealer(string tag) : INodeSecrets
    {
        public SealedPassword Seal(string context, Secret secret) => new(tag + ":" + context, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret.Reveal())));

        public Secret Open(string context, SealedPassword sealedSecret) => sealedSecret.Nonce == tag + ":" + context
            ? new Secret(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(sealedSecret.Ciphertext)))
            : throw new InvalidOperationException($"the password of account '{context}' cannot be opened with this node's key");

        public string Digest(string text) => tag + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static AccountSettings Settings(string password = "pw-1", bool enabled = true) => new()
    {
        Id = "acct",
        Pop3Server = "pop.example",
        Port = 110,
        Pop3Account = "fred",
        Password = new Secret(password),
        Mailbox = "maildir:/m",
        CheckEvery = TimeSpan.FromHours(1),
        Enabled = enabled,
    };

    private static CollectionEnvironment Env(INodeSecrets? sealer) => new(
        (_, _) => throw new IOException("no POP3 here"),
        _ => throw new InvalidOperationException("nothing delivered"),
        new NoLeases(),
        TimeProvider.System,
        CollectionTuning.Default)
    {
        Secrets = sealer,
    };

    private IActorRef Incarnation(string name, INodeSecrets? sealer) => _system.ActorOf(AccountActor.Props("acct", Env(sealer), restoreSettings: true), name);

    private static Task<AccountSettingsApplied> Apply(IActorRef account, AccountSettings settings, INodeSecrets sealer, AccountOrigin origin = AccountOrigin.Runtime, bool onlyIfAbsent = false) =>
        account.Ask<AccountSettingsApplied>(new ApplyAccountSettings(SealedAccountSettings.Seal(settings, sealer), origin, onlyIfAbsent), Wait, Ct);

    [Fact]
    public async Task Applied_settings_are_journaled_and_a_new_incarnation_collects_by_them()
    {
        var key = new Sealer("cluster");
        var first = Incarnation("first", key);
        Assert.Equal(SettingsChange.Added, (await Apply(first, Settings(), key)).Change);
        Assert.Equal(SettingsChange.Unchanged, (await Apply(first, Settings(), key)).Change);
        var changed = await Apply(first, Settings(password: "pw-2") with { CheckEvery = TimeSpan.FromHours(2) }, key);
        Assert.Equal(SettingsChange.Changed, changed.Change);
        Assert.Equal(["check-every", "password"], changed.ChangedKeys.Order());
        Assert.Equal(SettingsChange.Changed, (await Apply(first, Settings(password: "pw-2") with { CheckEvery = TimeSpan.FromHours(2) }, key, AccountOrigin.File)).Change); // the origin is part of it
        await first.GracefulStop(Wait);

        // Another node, nobody tells it anything: it reads its settings from its journal and schedules by them.
        var second = Incarnation("second", key);
        var status = await second.Ask<AccountStatus>(new GetAccountStatus("acct"), Wait, Ct);
        Assert.True(status.Configured);
        Assert.Equal("fred@pop.example", status.Address);
        Assert.NotNull(status.NextDue);
        Assert.Equal(SettingsChange.Unchanged, (await Apply(second, Settings(password: "pw-2") with { CheckEvery = TimeSpan.FromHours(2) }, key, AccountOrigin.File)).Change);

        // A start's wake-up never overrides: only an account without settings takes them.
        Assert.Equal(SettingsChange.Unchanged, (await Apply(second, Settings(password: "stale"), key, onlyIfAbsent: true)).Change);
        await second.GracefulStop(Wait);
    }

    [Fact]
    public async Task A_removed_account_forgets_its_settings_also_in_its_next_incarnation()
    {
        var key = new Sealer("cluster");
        var first = Incarnation("first", key);
        await Apply(first, Settings(), key);
        Assert.Equal(SettingsChange.Removed, (await first.Ask<AccountSettingsApplied>(new RemoveAccountSettings("acct"), Wait, Ct)).Change);
        Assert.False((await first.Ask<AccountStatus>(new GetAccountStatus("acct"), Wait, Ct)).Configured);
        await first.GracefulStop(Wait);

        var second = Incarnation("second", key);
        Assert.False((await second.Ask<AccountStatus>(new GetAccountStatus("acct"), Wait, Ct)).Configured);
        Assert.Equal(SettingsChange.Added, (await Apply(second, Settings(), key)).Change);
        await second.GracefulStop(Wait);
    }

    [Fact]
    public async Task A_node_with_another_key_refuses_the_settings_and_does_not_collect()
    {
        var first = Incarnation("first", new Sealer("cluster"));
        var refused = await Apply(first, Settings(), new Sealer("another"));
        Assert.Equal(SettingsChange.Refused, refused.Change);
        Assert.Contains("cannot be opened", refused.Detail);
        Assert.False((await first.Ask<AccountStatus>(new GetAccountStatus("acct"), Wait, Ct)).Configured);

        var noKey = Incarnation("no-key", null);
        Assert.Equal(SettingsChange.Refused, (await Apply(noKey, Settings(), new Sealer("cluster"))).Change);
    }

    /// <summary>
    /// Every node applies its accounts file at start, so an account gets the same settings from several nodes at once.
    /// Those that change nothing must not reach the journal: a deferred reply alone, while an earlier one is in flight,
    /// makes a write with no events, which the SQL journal fails silently and counts against its circuit breaker (ten
    /// opened it, and every account of the node failed for half a minute).
    /// </summary>
    [Fact]
    public async Task The_same_settings_from_many_nodes_at_once_never_make_an_empty_journal_write()
    {
        using var system = ActorSystem.Create("empty-writes", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.empty-write"
            akka.persistence.journal.empty-write {
              class = "CollectorCluster.Actors.Tests.Accounts.EmptyWriteJournal, CollectorCluster.Actors.Tests"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """));
        EmptyWriteJournal.Reset();
        var key = new Sealer("cluster");
        var accounts = Enumerable.Range(0, 5).Select(i => system.ActorOf(AccountActor.Props("acct" + i, Env(key), restoreSettings: true), "a" + i)).ToList();
        var applied = await Task.WhenAll(accounts.Select((a, i) => (a, i)).SelectMany(x => Enumerable.Range(0, 10).Select(_ =>
            x.a.Ask<AccountSettingsApplied>(new ApplyAccountSettings(SealedAccountSettings.Seal(Settings() with { Id = "acct" + x.i }, key), AccountOrigin.File), Wait, Ct))));
        Assert.Equal(5, applied.Count(a => a.Change == SettingsChange.Added));
        Assert.Equal(45, applied.Count(a => a.Change == SettingsChange.Unchanged));
        Assert.Equal(0, EmptyWriteJournal.EmptyWrites);
        await system.Terminate();
    }

    /// <summary>
    /// A node start applies its accounts file to every account: an account whose journal already holds those settings
    /// writes nothing (10,000 accounts restarting must not mean 10,000 journal writes), however it is told.
    /// </summary>
    [Fact]
    public async Task Settings_applied_again_unchanged_add_no_event_to_the_journal()
    {
        var key = new Sealer("cluster");
        var first = Incarnation("first", key);
        Assert.Equal(SettingsChange.Added, (await Apply(first, Settings(), key, AccountOrigin.File)).Change);
        await first.GracefulStop(Wait);
        var written = await JournalLength("account-acct");
        Assert.True(written > 0);

        var second = Incarnation("second", key);
        Assert.Equal(SettingsChange.Unchanged, (await Apply(second, Settings(), key, AccountOrigin.File)).Change);
        Assert.Equal(SettingsChange.Unchanged, (await Apply(second, Settings(), key, AccountOrigin.File, onlyIfAbsent: true)).Change);
        Assert.True((await second.Ask<AccountStatus>(new GetAccountStatus("acct"), Wait, Ct)).Configured);
        await second.GracefulStop(Wait);
        Assert.Equal(written, await JournalLength("account-acct"));
    }

    // How many events the journal holds for a persistence id: a reader recovers it and tells its last sequence number.
    private async Task<long> JournalLength(string persistenceId)
    {
        var reader = _system.ActorOf(Props.Create(() => new JournalReader(persistenceId)));
        var length = await reader.Ask<long>(JournalReader.Ask.Instance, Wait, Ct);
        await reader.GracefulStop(Wait);
        return length;
    }

    private sealed class JournalReader(string persistenceId) : UntypedPersistentActor
    {
        public override string PersistenceId => persistenceId;

        protected override void OnRecover(object message)
        {
        }

        protected override void OnCommand(object message)
        {
            if (message is Ask)
            {
                Sender.Tell(LastSequenceNr);
            }
        }

        public sealed class Ask
        {
            public static readonly Ask Instance = new();
        }
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private sealed class NoLeases : IConnectionLeases
    {
        public Task<IConnectionLease> AcquireAsync(string accountId, string server, int priority, CancellationToken cancellationToken) =>
            Task.FromException<IConnectionLease>(new InvalidOperationException("no session in these tests"));
    }
}
