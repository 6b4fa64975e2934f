namespace CollectorCluster.Wire;

/// <summary>
/// One command as <c>help</c> describes it: its usage line, split into the verb (second word) and the argument hints
/// after it (<c>&lt;id&gt;|--all</c>, <c>[--status</c>, <c>ok|failed]</c>), which collectorctl completes with TAB.
/// </summary>
/// <param name="Usage">The whole usage line (<c>collector mark &lt;id&gt; &lt;uidl&gt; download|delete|clear</c>).</param>
/// <param name="Verb">The word after the palette name; empty when the usage has none.</param>
/// <param name="Arguments">The words after the verb, as written in the usage.</param>
public sealed record CommandUsage(string Usage, string Verb, IReadOnlyList<string> Arguments)
{
    /// <summary>Splits a usage line (palette, verb, argument hints) on spaces.</summary>
    public static CommandUsage Parse(string usage)
    {
        var words = usage.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CommandUsage(usage, words.Length > 1 ? words[1] : "", [.. words.Skip(2)]);
    }
}
