using System.Globalization;
using System.Text;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// The campaign's results as a table by fault kind × mode × destination: faults injected, messages lost, duplicated,
/// deleted on the server before delivery, deleted against the setting, corrupt deliveries, hung runs, duplicates within
/// LMTP's documented window (counted apart), and scenarios whose fault never struck; then every failing scenario.
/// </summary>
public static class FaultTable
{
    private static readonly string[] Columns =
        ["kind", "mode", "dest", "injected", "lost", "dup", "del-before-deliv", "del-against-set", "corrupt", "hung", "lmtp-window", "not-injected"];

    /// <summary>Renders the table, the totals line and the failing scenarios.</summary>
    public static string Render(IReadOnlyList<FaultOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var rows = outcomes
            .GroupBy(o => (o.Scenario.Kind, o.Scenario.Mode, o.Scenario.Destination))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Mode).ThenBy(g => g.Key.Destination)
            .Select(g => Row(FaultKinds.Name(g.Key.Kind), FaultKinds.Name(g.Key.Mode), FaultKinds.Name(g.Key.Destination), [.. g]))
            .ToList();
        rows.Add(Row("total", "", "", outcomes));

        var widths = Columns.Select((c, i) => Math.Max(c.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, Columns, widths);
        Line(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        for (var r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1)
            {
                Line(text, widths.Select(w => new string('-', w)).ToArray(), widths);
            }

            Line(text, rows[r], widths);
        }

        var failed = outcomes.Where(o => o.Failed).ToList();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"failing scenarios: {failed.Count}");
        foreach (var outcome in failed)
        {
            text.AppendLine("  " + outcome);
        }

        var missed = outcomes.Where(o => !o.Injected).ToList();
        if (missed.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"not injected (the fault never struck, or the harness failed; what the runs said): {missed.Count}");
            foreach (var outcome in missed.Take(20))
            {
                text.AppendLine("  " + outcome);
            }
        }

        return text.ToString();
    }

    private static string[] Row(string kind, string mode, string destination, IReadOnlyCollection<FaultOutcome> group)
    {
        var injected = group.Where(o => o.Injected).ToList();
        string Sum(Func<FaultOutcome, int> of) => group.Sum(of).ToString(CultureInfo.InvariantCulture);
        return
        [
            kind, mode, destination,
            injected.Count.ToString(CultureInfo.InvariantCulture),
            Sum(o => o.Counts.Lost), Sum(o => o.Counts.Duplicated), Sum(o => o.Counts.DeletedBeforeDelivered),
            Sum(o => o.Counts.DeletedAgainstSetting), Sum(o => o.Counts.Corrupt), Sum(o => o.Hung), Sum(o => o.Counts.LmtpWindow),
            (group.Count - injected.Count).ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = i < 3 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
            text.Append(cell);
            text.Append(i == cells.Length - 1 ? "" : "  ");
        }

        text.AppendLine();
    }
}
