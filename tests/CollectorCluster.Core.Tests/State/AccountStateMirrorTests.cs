using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;
using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Absences, intended deletions, identities, re-keys and rotated tokens as the state applies them.</summary>
public class AccountStateMirrorTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AccountState Two() => AccountState.Empty
        .Apply(new MessageCollected("a", 10, At, At, false))
        .Apply(new MessageCollected("b", 10, At, At, false));

    [Fact]
    public void Absences_are_counted_per_listing_forgotten_when_listed_again_and_cleared_by_removal()
    {
        var state = Two()
            .Apply(new MessageMarked("b", "Delete", At))
            .Apply(new AbsenceNoted(["a", "b"], [], At));
        Assert.Equal(new AbsenceRecord(At, 1), state.Absent["a"]);

        state = state.Apply(new AbsenceNoted(["b"], ["a"], At.AddHours(1)));
        Assert.Equal(["b"], state.Absent.Keys);
        Assert.Equal(new AbsenceRecord(At, 2), state.Absent["b"]); // the clock runs from the first listing

        state = state.Apply(new LocalCopiesRemoved(["b"], At));
        Assert.Empty(state.Absent);
        Assert.False(state.HasCollected("b"));
        Assert.Empty(state.Marks);
        Assert.True(state.HasCollected("a"));
    }

    [Fact]
    public void Mirror_absences_of_older_journals_count_as_one_listing()
    {
        var state = Two().Apply(new MirrorAbsenceNoted(["a"], [], At)).Apply(new MirrorAbsenceNoted(["a", "b"], [], At.AddHours(1)));
        Assert.Equal(new AbsenceRecord(At, 1), state.Absent["a"]); // older journals noted first absences only
        Assert.Equal(new AbsenceRecord(At.AddHours(1), 1), state.Absent["b"]);
    }

    [Fact]
    public void An_observed_local_deletion_changes_nothing_until_the_server_commits_it()
    {
        var state = AccountState.Empty.Apply(new MessageCollected("a", 10, At, At, false));
        Assert.Same(state, state.Apply(new LocalDeletionObserved(["a"], At)));
    }

    [Fact]
    public void Intended_deletions_stay_pending_until_recorded_as_deleted()
    {
        var state = Two().Apply(new DeletionsIntended([new("a", "Expired"), new("x", "OperatorMark")], At));
        Assert.Equal("Expired", state.PendingDeletions["a"]);
        Assert.True(state.HasCollected("a")); // intended is not done

        state = state.Apply(new MessagesDeletedOnServer(["a"], "Expired", At));
        Assert.False(state.HasCollected("a"));
        Assert.Equal(["x"], state.PendingDeletions.Keys);
        state = state.Apply(new MessagesVanished(["x"], At));
        Assert.Empty(state.PendingDeletions);
    }

    [Fact]
    public void A_re_keyed_message_keeps_the_name_it_was_stored_as_its_pending_deletion_and_loses_its_absence()
    {
        var state = Two()
            .Apply(new DeletionsIntended([new("a", "Expired")], At))
            .Apply(new AbsenceNoted(["a"], [], At))
            .Apply(new UidlsRekeyed([new UidlRekey("a", "a2")], At));
        Assert.Equal("a", state.Collected["a2"].StoredKey);
        Assert.Equal("Expired", state.PendingDeletions["a2"]);
        Assert.Empty(state.Absent);

        state = state.Apply(new UidlsRekeyed([new UidlRekey("a2", "a3")], At));
        Assert.Equal("a", state.Collected["a3"].StoredKey); // renamed twice: still the first name
    }

    [Fact]
    public void A_changed_mailbox_resets_what_belongs_to_the_old_one_and_keeps_the_totals()
    {
        var state = Two()
            .Apply(new MessageMarked("a", "Delete", At))
            .Apply(new AbsenceNoted(["b"], [], At))
            .Apply(new DeletionsIntended([new("a", "OperatorMark")], At))
            .Apply(new ServerPolicyObserved(At, 300, "0"))
            .Apply(new AccountHealthChanged(nameof(AccountHealth.NeedsOperator), "refused", null, At, "d1"))
            .Apply(new MailboxIdentified("old.example", "fred", true, false, 0, At));
        Assert.Equal(new MailboxIdentity("old.example", "fred"), state.Identity);
        Assert.Equal(2, state.Collected.Count);

        state = state.Apply(new MailboxIdentified("new.example", "fred", true, true, 2, At));
        Assert.Empty(state.Collected);
        Assert.Empty(state.Marks);
        Assert.Empty(state.Absent);
        Assert.Empty(state.PendingDeletions);
        Assert.Equal(ServerPolicyState.Initial, state.Policy);
        Assert.Equal(2, state.TotalCollected);
        Assert.Equal(new MailboxIdentity("new.example", "fred"), state.Identity);
        Assert.Equal("a\nnew.example\nfred", state.ScopeFor("a").NameSeed);
    }

    [Fact]
    public void A_journal_from_before_identities_keeps_account_only_names()
    {
        var state = Two().Apply(new MailboxIdentified("pop.example", "fred", false, false, 0, At));
        Assert.Equal("acct", state.ScopeFor("acct").NameSeed);
        Assert.Equal(2, state.Collected.Count);
    }

    [Fact]
    public void A_rotated_refresh_token_is_kept_sealed_with_the_digest_of_the_configured_one()
    {
        var state = AccountState.Empty.Apply(new RefreshTokenRotated(new SealedPassword("n", "c"), "digest", At));
        Assert.Equal(new RotatedRefreshToken(new SealedPassword("n", "c"), "digest"), state.RefreshToken);
    }
}
