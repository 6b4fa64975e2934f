namespace CollectorCluster.Core.Planning;

/// <summary>What one committed listing's absences mean (see <see cref="AbsenceRule"/>).</summary>
/// <param name="Gone">Absent long enough, over enough listings, to be taken as gone from the server.</param>
/// <param name="Noted">Absent, not yet gone: noted (one more listing without them).</param>
public sealed record AbsenceDecision(IReadOnlyList<string> Gone, IReadOnlyList<string> Noted);
