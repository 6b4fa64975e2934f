namespace CollectorCluster.Actors.Tokens;

/// <summary>Asks <see cref="ConnectionTokens"/> for its <see cref="Core.Tokens.TokenFigures"/> (for operators and tests).</summary>
public sealed record GetTokenFigures
{
    /// <summary>The one instance.</summary>
    public static GetTokenFigures Instance { get; } = new();
}
