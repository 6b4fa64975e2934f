using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.State;

/// <summary>What giving an account its settings records: its configuration when new or changed, and a way out of a bad health.</summary>
public sealed class ReconfigurationTests
{
    private static AccountConfigured Journalled(AccountSettings settings) =>
        new(settings.Address, settings.Mailbox, settings.LeaveMailOnServer, Now.AddDays(-1));

    [Fact]
    public void The_first_configuration_is_journalled()
    {
        var change = Reconfiguration.Decide(AccountState.Empty, previous: null, Settings(), Now);

        Assert.Equal(
            new Reconfiguration(new AccountConfigured("alice@pop.example", "maildir:/m", false, Now), false, null)
            {
                Identified = new MailboxIdentified("pop.example", "alice", NamesIncludeMailbox: true, Reset: false, 0, Now),
            },
            change);
    }

    public static TheoryData<string?, string?, string, string, bool?, bool> Identities => new()
    {
        // journalled identity ("server/user", null: none), journalled address (null: none), new server, new user | names include the mailbox (null: no event), reset
        { null, null, "pop.example", "alice", false, false }, // collected without any configuration (no version wrote that): kept as it was
        { null, "alice@pop.example", "pop.example", "alice", false, false }, // a journal from before identities, same address: old names kept
        { null, "alice@POP.Example.", "pop.example", "alice", false, false }, // ... the server compared as DNS names compare
        { null, "alice@pop.example", "other.example", "alice", true, true }, // ... another server: reset
        { null, "alice@pop.example", "pop.example", "bob", true, true }, // ... another user: reset
        { null, "me@home@pop.example", "pop.example", "me@home", false, false }, // a login with @: the server follows the last @
        { "pop.example/alice", "alice@pop.example", "pop.example", "alice", null, false }, // unchanged: nothing
        { "pop.example/alice", "alice@pop.example", "POP.EXAMPLE", "alice", null, false }, // case of the server: unchanged
        { "pop.example/alice", "alice@pop.example", "pop.example", "Alice", true, true }, // a user's case may matter to the server
        { "pop.example/alice", "alice@pop.example", "pop2.example", "alice", true, true }, // edit --server
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void Server_and_user_identify_the_mailbox_and_a_change_resets_the_state(
        string? identity, string? address, string server, string user, bool? namesIncludeMailbox, bool reset)
    {
        var events = new List<IAccountEvent> { new MessageCollected("u1", 10, Now, Now, false) };
        if (address is not null)
        {
            events.Insert(0, new AccountConfigured(address, "maildir:/m", false, Now.AddDays(-1)));
        }

        if (identity?.Split('/') is [var s, var u])
        {
            events.Insert(1, new MailboxIdentified(s, u, true, false, 0, Now.AddDays(-1)));
        }

        var state = StateAfter(events);
        var change = Reconfiguration.Decide(state, previous: null, Settings() with { Pop3Server = server, Pop3Account = user }, Now);

        Assert.Equal(namesIncludeMailbox, change.Identified?.NamesIncludeMailbox);
        Assert.Equal(reset, change.Identified?.Reset ?? false);
        Assert.Equal(reset ? 1 : 0, change.Identified?.Forgotten ?? 0);
        var after = change.Identified is { } e ? state.Apply(e) : state;
        Assert.Equal(reset ? 0 : 1, after.Collected.Count);
    }

    [Theory]
    // digest that caused NeedsOperator, digest now => healed
    [InlineData("d1", "d2", true)]
    [InlineData("d1", "d1", false)] // the same settings in a new process: still refused
    [InlineData(null, "d2", false)] // NeedsOperator from before digests existed: only a change seen here heals
    [InlineData("d1", null, false)] // no node key: nothing to compare with
    public void A_changed_configuration_heals_across_processes_by_the_digest_of_the_settings_that_caused_needs_operator(string? caused, string? now, bool healed)
    {
        var state = StateAfter(Journalled(Settings()), new AccountHealthChanged(nameof(AccountHealth.NeedsOperator), "refused", null, Now.AddHours(-1), caused));

        var change = Reconfiguration.Decide(state, previous: null, Settings(), Now, now); // a new process: nothing applied before

        Assert.Equal(healed, change.Healed is not null);
        Assert.False(change.SettingsChanged);
    }

    [Theory]
    // what differs from the journalled configuration => journalled again
    [InlineData("nothing", false)]
    [InlineData("password", false)] // never journalled
    [InlineData("address", true)]
    [InlineData("mailbox", true)]
    [InlineData("leave-mail-on-server", true)]
    public void The_configuration_is_journalled_again_only_when_what_it_holds_changed(string differs, bool journalled)
    {
        var state = StateAfter(Journalled(Settings()));
        var next = differs switch
        {
            "password" => Settings(password: "new"),
            "address" => Settings() with { Pop3Account = "bob" },
            "mailbox" => Settings(mailbox: "maildir:/other"),
            "leave-mail-on-server" => Settings(leaveMailOnServer: true),
            _ => Settings(),
        };

        var change = Reconfiguration.Decide(state, previous: null, next, Now); // a restarted node: nothing applied before

        Assert.Equal(journalled, change.Configured is not null);
        Assert.False(change.SettingsChanged);
        Assert.Null(change.Healed);
    }

    [Theory]
    // health, settings changed on this node => healed
    [InlineData(AccountHealth.NeedsOperator, true, true)]
    [InlineData(AccountHealth.BackingOff, true, true)]
    [InlineData(AccountHealth.RetryingTransient, true, true)]
    [InlineData(AccountHealth.Healthy, true, false)]
    [InlineData(AccountHealth.NeedsOperator, false, false)]
    public void Changed_settings_are_a_way_back_to_health(AccountHealth health, bool changed, bool healed)
    {
        var state = StateAfter(Journalled(Settings()), Health(health));
        var next = changed ? Settings(password: "new") : Settings();

        var change = Reconfiguration.Decide(state, previous: Settings(), next, Now);

        Assert.Equal(changed, change.SettingsChanged);
        Assert.Equal(healed ? new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, Now) : null, change.Healed);
        Assert.Null(change.Configured);
    }
}
