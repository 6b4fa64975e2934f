namespace CollectorCluster.Actors.Registry;

/// <summary>Asks for the runtime accounts; replies <see cref="RuntimeAccounts"/>.</summary>
public sealed record GetRuntimeAccounts
{
    /// <summary>The only instance.</summary>
    public static readonly GetRuntimeAccounts Instance = new();
}
