using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>One per-server tokens actor's figures: one entry per remote server it governs.</summary>
public sealed record ServerFigures(IReadOnlyList<ServerTokenFigures> Servers);
