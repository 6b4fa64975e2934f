namespace CollectorCluster.Core.Planning;

/// <summary>A plan after the size limit: the plan to run and the oversize messages it skipped or postponed.</summary>
public sealed record SizeLimitedPlan(CollectionPlan Plan, IReadOnlyList<OversizeMessage> Oversize);
