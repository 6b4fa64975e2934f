namespace CollectorCluster.Core.Migration;

/// <summary>Something of a peer's configuration that was not carried over (or carried over differently), and where it was.</summary>
/// <param name="Where">The file and line, and the account when there is one.</param>
/// <param name="What">What was not carried over and why, or what to do instead.</param>
public sealed record ImportNote(string Where, string What)
{
    /// <inheritdoc />
    public override string ToString() => $"{Where}: {What}";
}
