using System.Globalization;
using System.Text.RegularExpressions;

namespace CollectorCluster.Testing.Faults;

/// <summary>How one collector run (a session on the shared node, <c>collector once</c>, a process) ended.</summary>
/// <param name="Finished">It ended within the bound (false: hung, and was killed or abandoned).</param>
/// <param name="Succeeded">It reported success (exit 0, or a succeeded collection).</param>
/// <param name="Collected">Messages it reported collected.</param>
/// <param name="Deleted">Deletions it reported committed.</param>
/// <param name="Text">What it said (the result's detail, the summary line, an error), for the notes.</param>
public sealed partial record RunResult(bool Finished, bool Succeeded, int Collected, int Deleted, string Text)
{
    /// <summary>A run that did not end within the bound.</summary>
    public static RunResult Hung(string what) => new(false, false, 0, 0, what);

    /// <summary>Reads <c>collector once</c>'s summary (<c>collected N (...), deleted N</c> per account) and exit code.</summary>
    public static RunResult FromOnce(int exitCode, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var collected = 0;
        var deleted = 0;
        foreach (Match m in AccountLine().Matches(output))
        {
            collected += int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            deleted += int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"exit {exitCode}: {output.Trim().ReplaceLineEndings(" | ")}");
        return new RunResult(true, exitCode == 0, collected, deleted, text);
    }

    /// <summary>Short form for the notes.</summary>
    public override string ToString() => Finished ? (Succeeded ? "ok" : "failed") + ": " + Truncate(Text) : "HUNG: " + Text;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    [GeneratedRegex(@"collected (\d+) \(\d+ bytes\), deleted (\d+)")]
    private static partial Regex AccountLine();
}
