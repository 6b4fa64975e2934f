using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Tests.Accounts;

/// <summary>Applying a node's accounts file to the cluster: what is applied, removed and refused, and how its version compares.</summary>
public class FileApplicationPlanTests
{
    [Fact]
    public void The_file_is_applied_the_clusters_file_accounts_it_lacks_removed_and_runtime_ids_refused()
    {
        var plan = FileApplicationPlan.Plan(["c", "a", "r"], new HashSet<string> { "a", "b" }, new HashSet<string> { "r", "x" });
        Assert.Equal(["a", "c"], plan.Apply);
        Assert.Equal(["b"], plan.Remove);
        Assert.Equal(["r"], plan.Conflicts);
    }

    [Fact]
    public void An_empty_file_removes_every_file_account_and_no_runtime_one()
    {
        var plan = FileApplicationPlan.Plan([], new HashSet<string> { "a", "b" }, new HashSet<string> { "r" });
        Assert.Empty(plan.Apply);
        Assert.Equal(["a", "b"], plan.Remove);
        Assert.Empty(plan.Conflicts);
    }

    [Theory]
    [InlineData("d1", new string[0], FileFreshness.First)]
    [InlineData("d3", new[] { "d3", "d2", "d1" }, FileFreshness.Current)]
    [InlineData("d2", new[] { "d3", "d2", "d1" }, FileFreshness.Outdated)]
    [InlineData("d4", new[] { "d3", "d2", "d1" }, FileFreshness.Unseen)]
    public void A_files_version_against_the_clusters(string digest, string[] applied, FileFreshness expected) =>
        Assert.Equal(expected, FileApplicationPlan.Freshness(digest, applied));
}
