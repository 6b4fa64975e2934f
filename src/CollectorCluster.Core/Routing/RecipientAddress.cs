namespace CollectorCluster.Core.Routing;

/// <summary>An address found in a message's header (the addr-spec only, no display name), compared case-insensitively.</summary>
/// <param name="LocalPart">Before the last <c>@</c>, unquoted, lower case.</param>
/// <param name="Domain">After the last <c>@</c>, lower case, without a trailing dot.</param>
public sealed record RecipientAddress(string LocalPart, string Domain)
{
    /// <inheritdoc />
    public override string ToString() => $"{LocalPart}@{Domain}";
}
