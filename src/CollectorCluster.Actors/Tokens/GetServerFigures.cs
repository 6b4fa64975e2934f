namespace CollectorCluster.Actors.Tokens;

/// <summary>Broadcast to the per-server tokens actors; each answers with <see cref="ServerFigures"/>.</summary>
public sealed record GetServerFigures
{
    /// <summary>The one instance.</summary>
    public static GetServerFigures Instance { get; } = new();
}
