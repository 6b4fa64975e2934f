namespace CollectorCluster.Node.Configuration;

/// <summary>One key of an account object: its name, its default, and what it means (the README's configuration reference row).</summary>
/// <param name="Name">The key as the accounts file and <c>collector add --KEY</c> write it.</param>
/// <param name="Default">The default, as the accounts file would write it; null when the key has none.</param>
/// <param name="Meaning">What it does (Mailtraq's Account Details name first where there is one).</param>
public sealed record AccountKey(string Name, string? Default, string Meaning)
{
    /// <summary>Every account must give it.</summary>
    public bool Required { get; init; }

    /// <summary>What leaving out a key without a default means (the README's default column); "none" unless said.</summary>
    public string Absent { get; init; } = "none";
}
