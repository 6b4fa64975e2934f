namespace CollectorCluster.Core.Scheduling;

/// <summary>Whether, and when, a collection round opens another session.</summary>
/// <param name="Step">What to do.</param>
/// <param name="At">When the next session of the round is due (unused for <see cref="RoundStep.End"/>).</param>
public sealed record RoundDecision(RoundStep Step, DateTimeOffset At)
{
    /// <summary>The round is over.</summary>
    public static readonly RoundDecision End = new(RoundStep.End, default);
}
