using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Core.Tests.Uidl;

public sealed class RekeyProofTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static string Digest(char c) => "sha256:" + new string(c, 64);

    // "kept" was collected under its UIDL; "moved" and "old-moved" were re-keyed (with and without a recorded digest).
    private static AccountState State() => AccountState.Empty
        .Apply(new MessageCollected("kept", 10, At, At, false, null, null, Digest('k')))
        .Apply(new MessageCollected("m", 20, At, At, false, null, null, Digest('m')))
        .Apply(new MessageCollected("o", 30, At, At, false))
        .Apply(new UidlsRekeyed([new UidlRekey("m", "moved"), new UidlRekey("o", "old-moved")], At));

    private static CollectionPlan Plan(params (string Uidl, DeletionReason Reason)[] deletions) =>
        new([], false, deletions.Select((d, i) => new PlannedDeletion(new ListedMessage(i + 1, d.Uidl, 10), d.Reason)).ToList(), [], []);

    [Theory]
    [InlineData("kept", DeletionReason.NotLeftOnServer, "", "")]
    [InlineData("moved", DeletionReason.NotLeftOnServer, "moved", "")]
    [InlineData("moved", DeletionReason.Expired, "moved", "")]
    [InlineData("moved", DeletionReason.MirroredLocalDeletion, "moved", "")]
    [InlineData("moved", DeletionReason.OperatorMark, "", "")]
    [InlineData("old-moved", DeletionReason.NotLeftOnServer, "", "old-moved")]
    [InlineData("old-moved", DeletionReason.OperatorMark, "", "")]
    [InlineData("never-collected", DeletionReason.OperatorMark, "", "")]
    public void A_re_keyed_message_needs_proof_before_any_deletion_but_an_operators(string uidl, DeletionReason reason, string download, string unprovable)
    {
        var (toDownload, cannot) = RekeyProof.Needed(Plan((uidl, reason)), State());
        Assert.Equal(download, string.Join(",", toDownload.Select(d => d.Message.Uidl)));
        Assert.Equal(unprovable, string.Join(",", cannot.Select(d => d.Message.Uidl)));
    }

    [Fact]
    public void A_proved_message_is_one_whose_content_is_the_delivered_one()
    {
        var verdict = RekeyProof.Judge(State(), [("moved", Digest('m'))], At)!;
        Assert.Equal(["moved"], verdict.Confirmed);
        Assert.Empty(verdict.Refuted);

        var other = RekeyProof.Judge(State(), [("moved", Digest('x'))], At)!;
        Assert.Empty(other.Confirmed);
        Assert.Equal(["moved"], other.Refuted);

        Assert.Null(RekeyProof.Judge(State(), [], At));
    }

    [Fact]
    public void What_is_not_proved_is_not_deleted_and_each_is_named()
    {
        var plan = Plan(("kept", DeletionReason.NotLeftOnServer), ("moved", DeletionReason.NotLeftOnServer), ("old-moved", DeletionReason.NotLeftOnServer));
        var (_, unprovable) = RekeyProof.Needed(plan, State());
        var withheld = RekeyProof.Withhold(plan, unprovable, new RekeysVerified([], ["moved"], At), "acct");

        Assert.Equal(["kept"], withheld.Delete.Select(d => d.Message.Uidl));
        Assert.Contains(withheld.Warnings, w => w.Contains("\"moved\"", StringComparison.Ordinal) && w.Contains("content differs", StringComparison.Ordinal));
        Assert.Contains(withheld.Warnings, w => w.Contains("`collector mark acct old-moved delete --yes`", StringComparison.Ordinal));
        Assert.Same(plan, RekeyProof.Withhold(plan, [], new RekeysVerified(["moved"], [], At), "acct"));
    }
}
