using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>
/// The CI sample of the fault campaign: a few seeded scenarios of one fault kind in every mode and destination it
/// applies to, run on the assembly's fault lab; every fault must strike, and none may lose, duplicate, delete early or
/// against the setting, corrupt, or hang.
/// </summary>
internal static class FaultSample
{
    /// <summary>The sample's seed (fixed: CI runs the same scenarios every time).</summary>
    public const int Seed = 11;

    /// <summary>Runs <paramref name="perCell"/> scenarios of <paramref name="kind"/> per applicable cell and asserts the promise.</summary>
    public static async Task RunAsync(FaultLab lab, FaultKind kind, int perCell)
    {
        var cells = FaultPlan.Cells().Where(c => c.Kind == kind).ToList();
        var first = (int)kind * 1000; // scenario ids (accounts, directories) unique across the sample's kinds
        var scenarios = cells
            .SelectMany((c, i) => FaultPlan.Cell(c.Kind, c.Mode, c.Destination, perCell, Seed, first + (i * perCell)))
            .ToList();
        var output = TestContext.Current.TestOutputHelper;
        var outcomes = await lab.RunAllAsync(scenarios, o => output?.WriteLine(o.ToString()), TestContext.Current.CancellationToken);

        output?.WriteLine(FaultTable.Render(outcomes));
        var notInjected = outcomes.Where(o => !o.Injected).ToList();
        Assert.True(notInjected.Count == 0, "faults that never struck:\n" + string.Join('\n', notInjected));
        var failed = outcomes.Where(o => o.Failed).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {outcomes.Count} scenario(s) broke the promise:\n" + string.Join('\n', failed));
    }
}
