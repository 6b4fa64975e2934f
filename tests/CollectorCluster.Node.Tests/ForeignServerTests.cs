using System.Net;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Network;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// What servers other than Dovecot do (a scripted POP3 server on the test kit: UIDLs that change on refill, no UIDL, no
/// TOP, messages hidden across listings, a link dropped mid-RETR, a DELE refused, two mailboxes with the same UIDLs)
/// against a real node, journal and Maildir: nothing lost, nothing delivered twice, nothing deleted against the setting.
/// The sessions' clock is stepped where the absence rule's hour matters.
/// </summary>
public sealed class ForeignServerTests : IDisposable
{
    private const string User = "fred";
    private const string Password = "secret";
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-foreign-");
    private readonly SteppedClock _clock = new(DateTimeOffset.UtcNow);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string LocalNew => Path.Combine(_scenario.Maildir, "new");

    [Fact]
    public async Task A_link_dropped_mid_retr_journals_what_was_delivered_and_a_server_that_changes_uidls_then_collects_nothing_twice()
    {
        var messages = Messages(39, seed: 1);
        await using var server = Server(messages);
        server.DropAfterRetrievals = 19;
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on");
        await using var running = node;

        var first = await CollectAsync(node, account);
        Assert.False(first.Succeeded);
        Assert.Equal(19, first.Collected); // delivered and journalled, also on a failed session
        Assert.Equal(19, (await _scenario.JournalAsync(account.Id, "MessageCollected.v3", Ct)).Count);
        Assert.Equal(19, Directory.GetFiles(LocalNew).Length);

        // The mailbox is refilled: every UIDL changes (Cyrus). The 19 are recognised by their headers, not collected again.
        server.DropAfterRetrievals = null;
        server.ChangeUidls();
        var second = await CollectAsync(node, account);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Contains("re-keyed", second.Detail, StringComparison.Ordinal);
        Assert.Equal(20, second.Collected);
        AssertHoldsEachOnce(messages);
    }

    [Fact]
    public async Task Without_uidl_leave_on_server_deletes_nothing_and_waits_for_the_operator()
    {
        var messages = Messages(5, seed: 2);
        await using var server = Server(messages);
        server.Uidl = false;
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on");
        await using var running = node;

        var result = await CollectAsync(node, account);
        Assert.False(result.Succeeded);
        Assert.Contains("does not support UIDL", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, server.CommittedDeletions);
        Assert.Equal(5, server.Keys(User).Count);
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(AccountHealth.NeedsOperator, status.Health);
        Assert.Contains("leave-mail-on-server", status.HealthReason, StringComparison.Ordinal);

        var again = await CollectAsync(node, account);
        Assert.StartsWith("needs operator:", again.Detail, StringComparison.Ordinal);
        Assert.Equal(1, server.Logins); // refused without a connection

        // The operator chooses delete mode: the account collects (and deletes) by content.
        var collected = await CollectAsync(node, account with { LeaveMailOnServer = false });
        Assert.True(collected.Succeeded, collected.Detail);
        AssertHoldsEachOnce(messages);
        Assert.Empty(server.Keys(User));
    }

    [Fact]
    public async Task A_server_hiding_half_the_mailbox_across_listings_never_removes_local_copies()
    {
        var messages = Messages(20, seed: 3);
        await using var server = Server(messages);
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 0.5");
        await using var running = node;
        Assert.Equal(20, (await CollectAsync(node, account)).Collected);

        server.Hide(messages.Take(10).Select(m => m.Key)); // Gmail-style: still there, just not listed
        for (var session = 0; session < 4; session++)
        {
            _clock.Advance(TimeSpan.FromHours(2));
            var result = await CollectAsync(node, account);
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(20, Directory.GetFiles(LocalNew).Length);
        }

        var last = await CollectAsync(node, account);
        Assert.Contains("missing from the server", last.Detail, StringComparison.Ordinal);
        Assert.Contains("operator", last.Detail, StringComparison.Ordinal);
        Assert.Empty(await _scenario.JournalAsync(account.Id, "LocalCopiesRemoved.v1", Ct));
        Assert.Equal(20, server.Keys(User).Count);
    }

    [Fact]
    public async Task A_dele_refused_mid_batch_leaves_the_earlier_deletions_recorded_by_their_intent_and_the_mirror_keeps_their_local_copies()
    {
        var messages = Messages(6, seed: 4);
        await using var server = Server(messages);
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 1");
        await using var running = node;
        Assert.Equal(6, (await CollectAsync(node, account)).Collected);

        // The operator marks three messages for deletion on the server (the local copies stay: a mark is not a local deletion).
        foreach (var key in messages.Take(3).Select(m => m.Key))
        {
            Assert.True((await node.Accounts.Ask<MarkResult>(new MarkMessage(account.Id, key, MarkAction.Delete), AskTimeout, Ct)).Applied);
        }

        server.RefuseDele([messages[1].Key]); // the second DELE is refused; QUIT still commits the first
        var refused = await CollectAsync(node, account);
        Assert.False(refused.Succeeded);
        Assert.Equal(1, server.CommittedDeletions);

        // Later sessions (hours apart, so an absence could count as gone) must see the first as our own deletion.
        for (var session = 0; session < 3; session++)
        {
            _clock.Advance(TimeSpan.FromHours(2));
            await CollectAsync(node, account);
        }

        Assert.Equal(6, Directory.GetFiles(LocalNew).Length);
        Assert.Empty(await _scenario.JournalAsync(account.Id, "LocalCopiesRemoved.v1", Ct));
        Assert.Contains(await _scenario.JournalAsync(account.Id, "MessagesDeletedOnServer.v1", Ct), e => e.Contains(messages[0].Key, StringComparison.Ordinal) && e.Contains("OperatorMark", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Re_keyed_messages_keep_the_names_they_were_stored_under_and_are_not_taken_for_local_deletions()
    {
        var messages = Messages(10, seed: 5);
        await using var server = Server(messages);
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 1");
        await using var running = node;
        Assert.Equal(10, (await CollectAsync(node, account)).Collected);

        server.ChangeUidls(messages.Take(6).Select(m => m.Key)); // a migration renames most of them
        var second = await CollectAsync(node, account);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Contains("re-keyed", second.Detail, StringComparison.Ordinal);
        Assert.Equal(0, second.Deleted);
        Assert.Equal(10, server.Keys(User).Count);

        var third = await CollectAsync(node, account);
        Assert.Equal((0, 0), (third.Collected, third.Deleted));
        Assert.Equal(10, server.Keys(User).Count);
        AssertHoldsEachOnce(messages);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("server")]
    public async Task Another_mailbox_behind_the_same_account_id_is_collected_as_new_and_never_deleted_undelivered(string changed)
    {
        // Two mailboxes whose messages have the same UIDLs (m000, m001, ...) and different contents.
        var alice = Messages(3, seed: 6, keyPrefix: "m");
        var bob = Messages(3, seed: 7, keyPrefix: "m");
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser("alice", Password, alice);
        server.AddUser("bob", Password, bob);
        await using var other = new ScriptedPop3Mailbox(IPAddress.Parse("127.0.0.2"));
        other.AddUser("alice", Password, bob);
        var file = _scenario.WriteNodeFile(_scenario.Account("acct", "127.0.0.1", server.Port, "alice", Password, "leave-mail-on-server = on", checkEvery: "1h"));
        var (node, options) = await NodeScenario.StartAsync(file, Ct);
        await using var running = node;
        var account = options.Accounts[0];
        Assert.Equal(3, (await CollectAsync(node, account)).Collected);

        // edit --user / --server: the same id now points at another mailbox, in delete mode.
        var moved = changed == "user"
            ? account with { Pop3Account = "bob", LeaveMailOnServer = false }
            : account with { Pop3Server = "127.0.0.2", Port = other.Port, LeaveMailOnServer = false };
        var result = await CollectAsync(node, moved);
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(3, result.Collected);
        AssertHoldsEachOnce([.. alice, .. bob]); // bob's messages delivered, not mistaken for alice's files
        Assert.Empty(changed == "user" ? server.Keys("bob") : other.Keys("alice")); // deleted only after delivery
        Assert.Equal(3, server.Keys("alice").Count);
        Assert.Contains("\"reset\":true", Assert.Single(await _scenario.JournalAsync("acct", "MailboxIdentified.v1", Ct), e => e.Contains("\"reset\":true", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_glitching_listing_forgets_nothing_so_the_next_session_collects_nothing_again()
    {
        var messages = Messages(5, seed: 8);
        await using var server = Server(messages);
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on");
        await using var running = node;
        Assert.Equal(5, (await CollectAsync(node, account)).Collected);
        var retrieved = server.Retrieved;

        server.Hide(messages.Select(m => m.Key)); // one empty listing
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await CollectAsync(node, account)).Succeeded);
        server.Unhide();

        _clock.Advance(TimeSpan.FromHours(2));
        var third = await CollectAsync(node, account);
        Assert.True(third.Succeeded, third.Detail);
        Assert.Equal(0, third.Collected);
        Assert.Equal(retrieved, server.Retrieved); // not even downloaded again (LMTP, SMTP and MDA would have delivered twice)
        Assert.Empty(await _scenario.JournalAsync(account.Id, "MessagesVanished.v1", Ct));
    }

    [Fact]
    public async Task A_uidl_migration_on_a_server_without_top_is_not_downloaded_again_and_waits_for_the_operator()
    {
        var messages = Messages(8, seed: 9);
        await using var server = Server(messages);
        server.Top = false;
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on");
        await using var running = node;
        Assert.Equal(8, (await CollectAsync(node, account)).Collected);
        var retrieved = server.Retrieved;

        server.ChangeUidls();
        var second = await CollectAsync(node, account);
        Assert.False(second.Succeeded);
        Assert.Contains("no TOP", second.Detail, StringComparison.Ordinal);
        Assert.Equal(retrieved, server.Retrieved);
        Assert.Equal(8, Directory.GetFiles(LocalNew).Length);
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(AccountHealth.NeedsOperator, status.Health);
        Assert.Contains("collector reset", status.HealthReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leave-mail-on-server = on", 1)]
    [InlineData("leave-mail-on-server = on", 4)]
    [InlineData("leave-mail-on-server = off", 1)]
    [InlineData("leave-mail-on-server = off", 4)]
    public async Task A_small_mailbox_renumbered_after_a_cut_is_re_keyed_and_deleted_only_once_proved(string mode, int beforeCut)
    {
        // The fault campaign's #12004: a few messages delivered and journalled, the link cut inside the next RETR, then
        // the server renumbers everything (new UIDVALIDITY) before the next session.
        var messages = Messages(7, seed: 10);
        await using var server = Server(messages);
        server.DropAfterRetrievals = beforeCut;
        var (node, account) = await StartAsync(server, mode);
        await using var running = node;
        Assert.Equal(beforeCut, (await CollectAsync(node, account)).Collected);

        server.DropAfterRetrievals = null;
        server.ChangeUidls();
        var second = await CollectAsync(node, account);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Contains($"the server changed the UIDLs of {beforeCut} collected message(s)", second.Detail, StringComparison.Ordinal);
        Assert.Equal(7 - beforeCut, second.Collected);
        AssertHoldsEachOnce(messages);

        var verified = await _scenario.JournalAsync(account.Id, "RekeysVerified.v1", Ct);
        if (account.LeaveMailOnServer)
        {
            Assert.Equal(7, server.Keys(User).Count);
            Assert.Empty(verified); // nothing deleted, nothing to prove
        }
        else
        {
            // Deleted only after each was downloaded again and found to be the very message delivered.
            Assert.Empty(server.Keys(User));
            Assert.Contains($"\"confirmed\":[{string.Join(",", messages.Take(beforeCut).Select(m => $"\"{server.UidlOf(m.Key)}\""))}]", Assert.Single(verified), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_small_mailbox_renumbered_on_a_server_without_top_is_confirmed_by_download_not_delivered_again()
    {
        var messages = Messages(3, seed: 11);
        await using var server = Server(messages);
        server.Top = false;
        var (node, account) = await StartAsync(server, "leave-mail-on-server = on");
        await using var running = node;
        Assert.Equal(3, (await CollectAsync(node, account)).Collected);

        server.ChangeUidls();
        var second = await CollectAsync(node, account);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Equal(0, second.Collected);
        Assert.Contains("re-keyed", second.Detail, StringComparison.Ordinal);
        AssertHoldsEachOnce(messages);
    }

    public void Dispose() => _scenario.Dispose();

    private static List<(string Key, byte[] Content)> Messages(int count, int seed, string? keyPrefix = null) =>
        Enumerable.Range(0, count)
            .Select(i => ($"{keyPrefix ?? $"s{seed}m"}{i:D3}", MessageFactory.Create(1200 + (i * 37), (seed * 1000) + i).Content))
            .ToList();

    private static ScriptedPop3Mailbox Server(List<(string Key, byte[] Content)> messages)
    {
        var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, messages);
        return server;
    }

    private async Task<(CollectorNode Node, AccountSettings Account)> StartAsync(ScriptedPop3Mailbox server, string extra)
    {
        _scenario.WriteNodeFile(_scenario.Account("foreign", "127.0.0.1", server.Port, User, Password, extra, checkEvery: "1h"));
        var options = _scenario.Load();
        var node = await NodeScenario.StartAsync(options, Ct, environment => environment with { Clock = _clock });
        return (node, options.Accounts[0]);
    }

    private static Task<CollectionResult> CollectAsync(CollectorNode node, AccountSettings account) => NodeScenario.CollectAsync(node, account, Ct);

    private void AssertHoldsEachOnce(IReadOnlyCollection<(string Key, byte[] Content)> messages)
    {
        var files = Directory.GetFiles(LocalNew).Select(File.ReadAllBytes).ToList();
        var ids = files.Select(f => MessageHeaders.MessageIdOf(f) ?? "(none)").ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(messages.Select(m => MessageHeaders.MessageIdOf(m.Content)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }
}
