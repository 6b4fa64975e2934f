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

        Assert.Equal(new Reconfiguration(new AccountConfigured("alice@pop.example", "maildir:/m", false, Now), false, null), change);
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
