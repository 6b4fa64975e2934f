namespace CollectorCluster.Wire;

/// <summary>One palette in a <c>help</c> answer: its first word and its commands.</summary>
/// <param name="Name">The palette's first word (<c>collector</c>, <c>cluster</c>).</param>
/// <param name="Commands">Its commands, in the palette's order.</param>
public sealed record PaletteHelp(string Name, IReadOnlyList<CommandUsage> Commands);
