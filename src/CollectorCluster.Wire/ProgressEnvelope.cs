namespace CollectorCluster.Wire;

/// <summary>
/// The line a progress frame travels in, <c>{"progress":{...}}</c>: a client reading answers keeps reading past
/// these until a line without <c>progress</c> (the <see cref="CommandResponse"/>).
/// </summary>
/// <param name="Progress">The frame; null when the line is the answer.</param>
public sealed record ProgressEnvelope(ProgressFrame? Progress);
