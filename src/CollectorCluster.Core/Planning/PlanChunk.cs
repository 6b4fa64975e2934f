namespace CollectorCluster.Core.Planning;

/// <summary>The part of a plan one session carries out before it QUITs, and whether more remains for the next session.</summary>
public sealed record PlanChunk(CollectionPlan Plan, bool More);
