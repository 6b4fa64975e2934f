namespace CollectorCluster.Wire;

/// <summary>
/// The data of a <c>help [palette]</c> answer (what <c>help --json</c> prints and what collectorctl completes from):
/// the palettes with their commands, and every usage line in the order <c>help</c> prints them.
/// </summary>
/// <param name="Palettes">The palettes asked about, with their commands and argument hints.</param>
/// <param name="Commands">The usage lines (plus <c>help [palette]</c> when all palettes were asked for).</param>
public sealed record CommandHelp(IReadOnlyList<PaletteHelp> Palettes, IReadOnlyList<string> Commands);
