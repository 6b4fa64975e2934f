using System.Text;
using System.Text.RegularExpressions;

namespace CollectorCluster.Bench;

/// <summary>
/// Rewrites the README's generated blocks in place: everything between a line <c>&lt;!-- capture:NAME ... --&gt;</c>
/// and the next line <c>&lt;!-- /capture --&gt;</c> becomes one fenced block holding capture NAME. Text outside the
/// markers is never touched, so <c>git diff</c> after a rerun shows only what the programs printed differently.
/// </summary>
public static partial class ReadmeBlocks
{
    private const string End = "<!-- /capture -->";

    /// <summary>
    /// Replaces every marked block of <paramref name="readme"/> with its capture. A marker naming no capture, an
    /// unclosed marker, or a capture no marker asks for is an error naming it (nothing is written then).
    /// </summary>
    public static void Rewrite(string readme, IReadOnlyDictionary<string, string> captures)
    {
        var lines = File.ReadAllLines(readme);
        var output = new StringBuilder();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            output.Append(lines[i]).Append('\n');
            var start = Start().Match(lines[i]);
            if (!start.Success)
            {
                continue;
            }

            var name = start.Groups["name"].Value;
            if (!captures.TryGetValue(name, out var text))
            {
                throw new InvalidOperationException($"{readme}:{i + 1}: capture '{name}' is not produced by readme-captures (known: {string.Join(", ", captures.Keys)})");
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == End);
            if (end < 0)
            {
                throw new InvalidOperationException($"{readme}:{i + 1}: capture '{name}' has no closing '{End}' line");
            }

            if (!used.Add(name))
            {
                throw new InvalidOperationException($"{readme}:{i + 1}: capture '{name}' appears twice");
            }

            output.Append("```\n").Append(Normalize(text)).Append("```\n").Append(lines[end]).Append('\n');
            i = end;
        }

        var unused = captures.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"{readme}: no <!-- capture:NAME --> block for {string.Join(", ", unused)}");
        }

        File.WriteAllText(readme, output.ToString());
    }

    /// <summary>Trailing blanks off every line, one final newline, and no fence inside the block.</summary>
    private static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => l.TrimEnd());
        var joined = string.Join('\n', lines) + "\n";
        return joined.Contains("```", StringComparison.Ordinal)
            ? throw new InvalidOperationException("a capture contains ``` and would end its block early")
            : joined;
    }

    [GeneratedRegex(@"^<!-- capture:(?<name>[a-z0-9-]+)(?: [^>]*)? -->\s*$")]
    private static partial Regex Start();
}
