using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Mirror events: absences noted and forgotten, local copies removed prune the state.</summary>
public class AccountStateMirrorTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Absences_are_noted_forgotten_and_cleared_by_removal()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("a", 10, At, At, false))
            .Apply(new MessageCollected("b", 10, At, At, false))
            .Apply(new MessageMarked("b", "Delete", At))
            .Apply(new MirrorAbsenceNoted(["a", "b"], [], At));
        Assert.Equal(["a", "b"], state.MirrorAbsent.Order(StringComparer.Ordinal));

        state = state.Apply(new MirrorAbsenceNoted([], ["a"], At));
        Assert.Equal(["b"], state.MirrorAbsent);

        state = state.Apply(new LocalCopiesRemoved(["b"], At));
        Assert.Empty(state.MirrorAbsent);
        Assert.False(state.HasCollected("b"));
        Assert.Empty(state.Marks);
        Assert.True(state.HasCollected("a"));
    }

    [Fact]
    public void An_observed_local_deletion_changes_nothing_until_the_server_commits_it()
    {
        var state = AccountState.Empty.Apply(new MessageCollected("a", 10, At, At, false));
        Assert.Same(state, state.Apply(new LocalDeletionObserved(["a"], At)));
    }
}
