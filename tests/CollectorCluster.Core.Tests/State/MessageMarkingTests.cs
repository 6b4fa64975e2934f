using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Which marks an operator may set or clear on which messages, what each records, and what the operator is told.</summary>
public sealed class MessageMarkingTests
{
    private const string NeedsUidl = "refused: a mark needs a UIDL";

    // "collected" was collected; "oversize" was skipped by the size limit; "marked" (not collected) carries a Delete mark.
    private static readonly AccountState Account = StateAfter(
        new MessageCollected("collected", 10, Now.AddDays(-1), Now.AddDays(-1), false),
        new OversizeMessagesReported([new OversizeEntry("oversize", 1, 1 << 30)], 1 << 20, "Skip", Now.AddDays(-1)),
        new MessageMarked("marked", nameof(MessageMark.Delete), Now.AddHours(-1)));

    [Theory]
    // UIDL, mark (null: clear) => applied, detail, event recorded ("Download", "Delete", "Cleared"; null: none)
    [InlineData(null, MessageMark.Delete, false, NeedsUidl, null)]
    [InlineData("", MessageMark.Download, false, NeedsUidl, null)]
    [InlineData("  ", null, false, NeedsUidl, null)]
    [InlineData("unknown", MessageMark.Download, false, "refused: unknown has not been collected (or the server no longer lists it), so there is nothing to download again", null)]
    [InlineData("marked", MessageMark.Download, false, "refused: marked has not been collected (or the server no longer lists it), so there is nothing to download again", null)]
    [InlineData("collected", MessageMark.Download, true, "marked for download: the next session collects it again", "Download")]
    [InlineData("oversize", MessageMark.Download, true, "marked for download: the next session collects it again", "Download")] // overrides the skip
    [InlineData("unknown", MessageMark.Delete, true, "marked for deletion: the next session deletes it on the server if it is still listed", "Delete")]
    [InlineData("collected", MessageMark.Delete, true, "marked for deletion: the next session deletes it on the server if it is still listed", "Delete")]
    [InlineData("collected", null, true, "had no mark", null)]
    [InlineData("marked", null, true, "mark cleared", "Cleared")]
    public void Marks_are_decided_by_what_the_account_knows_of_the_message(string? uidl, MessageMark? mark, bool applied, string detail, string? recorded)
    {
        var decision = MessageMarking.Decide(Account, uidl, mark, Now);

        Assert.Equal(applied, decision.Applied);
        Assert.Equal(detail, decision.Detail);
        IAccountEvent? expected = recorded switch
        {
            null => null,
            "Cleared" => new MarkCleared(uidl!, Now),
            _ => new MessageMarked(uidl!, recorded, Now),
        };
        Assert.Equal(expected, decision.Event);
    }

    [Fact]
    public void Every_recorded_mark_applies_to_the_state()
    {
        var delete = MessageMarking.Decide(Account, "collected", MessageMark.Delete, Now).Event!;
        var clear = MessageMarking.Decide(Account, "marked", null, Now).Event!;

        var after = Account.Apply(delete).Apply(clear);

        Assert.Equal(MessageMark.Delete, Assert.Single(after.Marks, m => m.Key == "collected").Value);
        Assert.False(after.Marks.ContainsKey("marked"));
    }

    [Theory]
    // UIDL, action => detail
    [InlineData("collected", "Archive", "refused: unknown action Archive")]
    [InlineData("", "Archive", NeedsUidl)]
    public void An_unknown_action_is_refused_after_the_uidl_check(string uidl, string action, string detail)
    {
        Assert.Equal(new MarkDecision(false, detail), MessageMarking.Unknown(uidl, action));
    }

    [Fact]
    public void An_undefined_mark_is_refused_as_an_unknown_action()
    {
        Assert.Equal(new MarkDecision(false, "refused: unknown action 42"), MessageMarking.Decide(Account, "collected", (MessageMark)42, Now));
    }
}
