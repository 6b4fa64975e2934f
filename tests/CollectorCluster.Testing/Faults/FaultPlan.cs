namespace CollectorCluster.Testing.Faults;

/// <summary>
/// Which faults a campaign injects, from its size and seed alone: every applicable cell (kind × mode × destination)
/// gets a share by the kind's weight, the order is shuffled so slow and fast kinds interleave, and each scenario gets
/// its own seed. The same size and seed give the same scenarios.
/// </summary>
public static class FaultPlan
{
    /// <summary>Every applicable (kind, mode, destination) cell, in table order.</summary>
    public static IReadOnlyList<(FaultKind Kind, CollectionMode Mode, DestinationKind Destination)> Cells() =>
        [.. from kind in FaultKinds.All
            from mode in Enum.GetValues<CollectionMode>()
            from destination in Enum.GetValues<DestinationKind>()
            where FaultKinds.Applies(kind, mode, destination)
            select (kind, mode, destination)];

    /// <summary>A campaign of <paramref name="faults"/> scenarios.</summary>
    public static IReadOnlyList<FaultScenario> Campaign(int faults, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(faults);
        var cells = Cells();
        var weights = cells.Select(c => Weight(c.Kind) / cells.Count(o => o.Kind == c.Kind)).ToList();
        var total = weights.Sum();

        // Largest remainder: each cell its share of the weights, the rounding handed out in cell order.
        var exact = weights.Select(w => faults * w / total).ToList();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToList();
        foreach (var i in Enumerable.Range(0, cells.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(faults - counts.Sum()))
        {
            counts[i]++;
        }

        var list = new List<(FaultKind, CollectionMode, DestinationKind)>(faults);
        for (var i = 0; i < cells.Count; i++)
        {
            list.AddRange(Enumerable.Repeat(cells[i], counts[i]));
        }

        var shuffle = new Random(seed);
        shuffle.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return [.. list.Select((c, i) => new FaultScenario(i, c.Item1, c.Item2, c.Item3, ScenarioSeed(seed, i)))];
    }

    /// <summary><paramref name="count"/> scenarios of one cell (the CI sample's rows), numbered from <paramref name="firstIndex"/>.</summary>
    public static IReadOnlyList<FaultScenario> Cell(FaultKind kind, CollectionMode mode, DestinationKind destination, int count, int seed, int firstIndex = 0) =>
        FaultKinds.Applies(kind, mode, destination)
            ? [.. Enumerable.Range(firstIndex, count).Select(i => new FaultScenario(i, kind, mode, destination, ScenarioSeed(seed, i)))]
            : throw new ArgumentException($"{FaultKinds.Name(kind)} does not apply to {FaultKinds.Name(mode)} into {FaultKinds.Name(destination)}");

    /// <summary>How often a kind is drawn, relative to the others: the link cuts most (they are cheap and many), process and journal faults less.</summary>
    public static double Weight(FaultKind kind) => kind switch
    {
        FaultKind.KillRun => 2.5,
        FaultKind.UidlChange => 2,
        FaultKind.TermOnce or FaultKind.JournalReadOnly or FaultKind.PostgresStopped or FaultKind.DestinationFull => 1.25,
        _ => 3,
    };

    // SplitMix64 of (campaign seed, index): independent, reproducible seeds per scenario.
    private static int ScenarioSeed(int seed, int index)
    {
        var z = unchecked(((ulong)(uint)seed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
