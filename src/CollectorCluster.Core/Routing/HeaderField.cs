namespace CollectorCluster.Core.Routing;

/// <summary>One header field of a message, unfolded: its name as written and its value with continuation lines joined.</summary>
/// <param name="Name">The field name (compare case-insensitively).</param>
/// <param name="Value">The value, leading and trailing whitespace removed, folds replaced by one space.</param>
public sealed record HeaderField(string Name, string Value);
