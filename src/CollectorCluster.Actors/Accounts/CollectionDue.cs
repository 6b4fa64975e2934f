namespace CollectorCluster.Actors.Accounts;

/// <summary>Timer tick to an account: its scheduled slot has come.</summary>
internal sealed class CollectionDue
{
    public static readonly CollectionDue Instance = new();

    private CollectionDue()
    {
    }
}
