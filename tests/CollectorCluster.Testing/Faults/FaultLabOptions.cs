namespace CollectorCluster.Testing.Faults;

/// <summary>How a <see cref="FaultLab"/> runs its scenarios.</summary>
public sealed class FaultLabOptions
{
    /// <summary>The built collector the process faults start (default: <c>collector.dll</c> beside this assembly).</summary>
    public string CollectorDll { get; init; } = Path.Combine(AppContext.BaseDirectory, "collector.dll");

    /// <summary>
    /// A run (a session, <c>collector once</c>, a process up to its fault) not finished within this counts as hung and is
    /// killed: the campaign's only time bound, a failure count, never a timing assertion. Generous: a scenario's session
    /// moves at most a few megabytes over loopback.
    /// </summary>
    public TimeSpan RunBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>collector once</c> not ended within this after SIGTERM counts as hung (the promise is "within seconds").</summary>
    public TimeSpan SignalBound { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Scenarios running on the shared in-process node at once.</summary>
    public int InProcessParallelism { get; init; } = 3;

    /// <summary>Scenarios running a collector process at once (beside the in-process ones).</summary>
    public int ProcessParallelism { get; init; } = 3;

    /// <summary>Keep each scenario's directory.</summary>
    public bool KeepDirectories { get; init; }
}
