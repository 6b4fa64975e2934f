using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Tests.State;

/// <summary>The stage texts are journalled in CollectionFailed and read by operators: each is fixed for good.</summary>
public sealed class CollectionStageTextTests
{
    public static TheoryData<CollectionStage, string> Table() => new()
    {
        { CollectionStage.Connect, "connect" },
        { CollectionStage.WaitForOnline, "wait for online" },
        { CollectionStage.List, "list" },
        { CollectionStage.Top, "top" },
        { CollectionStage.Mirror, "mirror" },
        { CollectionStage.Retrieve, "retrieve" },
        { CollectionStage.Deliver, "deliver" },
        { CollectionStage.Record, "record" },
        { CollectionStage.Delete, "delete" },
        { CollectionStage.Quit, "quit" },
        { CollectionStage.Internal, "internal" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_stage_has_its_journalled_text(CollectionStage stage, string text) => Assert.Equal(text, stage.ToText());

    [Fact]
    public void The_table_covers_every_stage_and_no_two_share_a_text()
    {
        var rows = Table().Select(row => ((CollectionStage)row.Data.Item1, (string)row.Data.Item2)).ToList();
        Assert.Equal(Enum.GetValues<CollectionStage>().Order(), rows.Select(r => r.Item1).Order());
        Assert.Equal(rows.Count, rows.Select(r => r.Item2).Distinct().Count());
    }

    [Fact]
    public void An_undefined_stage_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CollectionStage)99).ToText());
}
