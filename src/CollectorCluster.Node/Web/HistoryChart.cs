using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The per-account collection chart: messages and bytes per collection (<c>collector history --json</c>), drawn
/// server-side as two small SVG bar charts (no script, no outside library), failed sessions marked, with the same
/// figures in a table for screen readers and keyboard users.
/// </summary>
public static class HistoryChart
{
    private const int Width = 600;
    private const int Height = 120;

    /// <summary>Renders the chart and its table for the sessions (oldest first).</summary>
    public static string Render(JsonArray sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var rows = sessions.Where(s => s is not null).Select(s => (
            At: AccountRow.Time(s!["finishedAt"]),
            Ok: s["succeeded"]?.GetValue<bool>() == true,
            Messages: s["collected"]?.GetValue<long>() ?? 0,
            Bytes: s["bytes"]?.GetValue<long>() ?? 0)).ToList();
        var html = new Html();
        if (rows.Count == 0)
        {
            return html.Element("p", "No collection yet.").ToString();
        }

        html.Raw("<div class=\"charts\">");
        Bars(html, "Messages per collection", rows.Select(r => (r.At, r.Ok, (double)r.Messages)).ToList(), v => v.ToString("0", CultureInfo.InvariantCulture));
        Bars(html, "Bytes per collection", rows.Select(r => (r.At, r.Ok, (double)r.Bytes)).ToList(), v => v.ToString("0", CultureInfo.InvariantCulture));
        html.Raw("</div><details><summary>The figures as a table</summary><div class=\"scroll\"><table><thead><tr>")
            .Raw("<th scope=\"col\">Finished</th><th scope=\"col\">Outcome</th><th scope=\"col\">Messages</th><th scope=\"col\">Bytes</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            html.Raw("<tr>").Element("td", r.At).Element("td", r.Ok ? "ok" : "failed")
                .Element("td", r.Messages.ToString(CultureInfo.InvariantCulture)).Element("td", r.Bytes.ToString(CultureInfo.InvariantCulture)).Raw("</tr>");
        }

        return html.Raw("</tbody></table></div></details>").ToString();
    }

    private static void Bars(Html html, string title, List<(string At, bool Ok, double Value)> points, Func<double, string> format)
    {
        var max = Math.Max(1, points.Max(p => p.Value));
        var slot = (double)Width / points.Count;
        var bar = Math.Max(1, slot * 0.7);
        html.Raw("<figure class=\"chart\">")
            .Open("svg", ("viewBox", $"0 0 {Width} {Height + 20}"), ("role", "img"), ("aria-label", $"{title}: {points.Count} collection(s), largest {format(max)}"))
            .Raw($"<line class=\"axis\" x1=\"0\" y1=\"{Height}\" x2=\"{Width}\" y2=\"{Height}\"></line>");
        for (var i = 0; i < points.Count; i++)
        {
            var (at, ok, value) = points[i];
            var h = value <= 0 ? 1 : Math.Max(2, value / max * (Height - 10));
            html.Open("rect", ("class", ok ? "bar" : "bar failed"), ("x", Num(i * slot + ((slot - bar) / 2))), ("y", Num(Height - h)), ("width", Num(bar)), ("height", Num(h)))
                .Element("title", $"{at}: {format(value)}{(ok ? "" : " (failed)")}")
                .Raw("</rect>");
        }

        html.Element("text", format(max), ("class", "label"), ("x", "2"), ("y", "12"))
            .Element("text", points[0].At, ("class", "label"), ("x", "2"), ("y", Num(Height + 16)))
            .Raw("</svg>").Element("figcaption", title).Raw("</figure>");
    }

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
