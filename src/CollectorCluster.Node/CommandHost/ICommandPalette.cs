using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>One group of operator commands (as in pbm palettes), so each area's verbs live together and <c>help</c> can list them.</summary>
public interface ICommandPalette
{
    /// <summary>The palette's first word (<c>collector</c>, <c>tokens</c>, <c>cluster</c>).</summary>
    string Name { get; }

    /// <summary>Usage of each command, for <c>help</c>.</summary>
    IReadOnlyList<string> Commands { get; }

    /// <summary>Serves one command (its words after the palette name); throws <see cref="CommandException"/> for bad input.</summary>
    Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context);
}
