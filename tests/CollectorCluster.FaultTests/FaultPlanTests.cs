using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>A campaign is determined by its size and seed, and covers every applicable cell.</summary>
public sealed class FaultPlanTests
{
    [Fact]
    public void The_same_size_and_seed_give_the_same_scenarios_and_another_seed_others()
    {
        Assert.Equal(FaultPlan.Campaign(300, 7), FaultPlan.Campaign(300, 7));
        Assert.NotEqual(FaultPlan.Campaign(300, 7).Select(s => s.Seed), FaultPlan.Campaign(300, 8).Select(s => s.Seed));
    }

    [Fact]
    public void A_thousand_faults_reach_every_applicable_cell_and_no_other()
    {
        var campaign = FaultPlan.Campaign(1000, 1);
        Assert.Equal(1000, campaign.Count);
        Assert.Equal(Enumerable.Range(0, 1000), campaign.Select(s => s.Index));
        var cells = campaign.Select(s => (s.Kind, s.Mode, s.Destination)).Distinct().ToHashSet();
        Assert.Equal(FaultPlan.Cells().ToHashSet(), cells);
        Assert.All(campaign, s => Assert.True(FaultKinds.Applies(s.Kind, s.Mode, s.Destination), s.ToString()));
    }

    [Fact]
    public void Mirror_goes_only_to_a_maildir_and_a_leave_session_has_no_dele_to_cut_after()
    {
        Assert.False(FaultKinds.Applies(FaultKind.MidRetr, CollectionMode.Mirror, DestinationKind.Lmtp));
        Assert.False(FaultKinds.Applies(FaultKind.AfterDele, CollectionMode.Leave, DestinationKind.Maildir));
        Assert.True(FaultKinds.Applies(FaultKind.AfterDele, CollectionMode.Mirror, DestinationKind.Maildir));
        Assert.Throws<ArgumentException>(() => FaultPlan.Cell(FaultKind.MidRetr, CollectionMode.Mirror, DestinationKind.Lmtp, 1, 1));
    }

    [Fact]
    public void Kind_names_read_back()
    {
        Assert.All(FaultKinds.All, k => Assert.Equal(k, FaultKinds.Parse(FaultKinds.Name(k))));
        Assert.Throws<ArgumentException>(() => FaultKinds.Parse("mid-nothing"));
    }
}
