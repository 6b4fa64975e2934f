namespace CollectorCluster.Testing.Faults;

/// <summary>What one scenario did and found.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Injected">The fault struck (a cut or hold point was reached, a signal or kill was sent during a session, a journal or destination failed under it).</param>
/// <param name="Fault">What exactly struck, e.g. <c>inside RETR #4 at 37% of its body: reply byte 912 ...</c>.</param>
/// <param name="Counts">The invariant's counts after recovery.</param>
/// <param name="Hung">Runs that did not end within the bound and were killed (the fault run, recovery runs, an exit after SIGTERM).</param>
/// <param name="Notes">What the runs said (exit codes, errors), for the findings.</param>
public sealed record FaultOutcome(FaultScenario Scenario, bool Injected, string Fault, InvariantCounts Counts, int Hung, string Notes)
{
    /// <summary>True when the scenario broke the promise: anything lost, duplicated, deleted early or against the setting, corrupt, or hung.</summary>
    public bool Failed => Counts.Lost + Counts.Duplicated + Counts.DeletedBeforeDelivered + Counts.DeletedAgainstSetting + Counts.Corrupt + Hung > 0;

    /// <summary>One line for a log or a findings list.</summary>
    public override string ToString() =>
        $"{Scenario}: {(Injected ? "injected" : "NOT injected")} ({Fault}); lost {Counts.Lost}, duplicated {Counts.Duplicated}, deleted-before-delivered {Counts.DeletedBeforeDelivered}, "
        + $"deleted-against-setting {Counts.DeletedAgainstSetting}, corrupt {Counts.Corrupt}, hung {Hung}, lmtp-window {Counts.LmtpWindow}"
        + (Counts.Detail.Length > 0 ? $" [{Counts.Detail}]" : "") + (Notes.Length > 0 ? $" {{{Notes}}}" : "");
}
