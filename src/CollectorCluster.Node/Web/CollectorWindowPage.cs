using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The seed's Collector window for one account: its message-lines (<c>collector messages</c>: UIDL, size, first
/// seen, collected, state), one page at a time; the Collector Tasks on one or several selected lines (mark for
/// Download, for Deletion, or reverse the mark); and Reset, which first shows its preview.
/// </summary>
public static class CollectorWindowPage
{
    /// <summary>Lines per page.</summary>
    public const int PageSize = 200;

    /// <summary>Renders the window from <c>collector messages --json</c>'s data.</summary>
    public static string Render(string id, JsonArray lines, int page, string? banner, string user, string csrf)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var all = lines.Where(l => l is not null).Select(l => l!).ToList();
        var pages = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var shown = all.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var escaped = Uri.EscapeDataString(id);
        var html = new Html().Raw(banner ?? "");
        html.Raw("<p>").Open("a", ("href", "/accounts/" + escaped)).Text($"Back to account {id}").Raw("</a></p>")
            .Element("p", "These message-lines are records of what was collected; the messages themselves are in the destination mailbox. Select lines, then mark them for Download (collected again), for Deletion (deleted on the server at the next collection), or reverse the mark.", ("class", "note"));
        html.Open("form", ("method", "post"), ("action", $"/accounts/{escaped}/messages"), ("data-account", id), ("data-feed", "/events/accounts?ids=" + escaped), ("data-reload", "lines"));
        AccountPage.Csrf(html, csrf);
        html.Raw("<div class=\"scroll\"><table class=\"lines\"><caption>")
            .Text($"Message-lines of {id}: {all.Count}{(pages > 1 ? $" (page {page} of {pages})" : "")}")
            .Raw("</caption><thead><tr><th scope=\"col\">Select</th><th scope=\"col\">UIDL</th><th scope=\"col\">Size</th><th scope=\"col\">First seen</th><th scope=\"col\">Collected</th><th scope=\"col\">State</th></tr></thead><tbody>");
        for (var i = 0; i < shown.Count; i++)
        {
            var uidl = shown[i]["uidl"]?.GetValue<string>() ?? "";
            var state = shown[i]["state"]?.GetValue<string>() ?? "";
            var box = $"line-{i}";
            html.Open("tr", ("data-uidl", uidl))
                .Raw("<td>").Open("input", ("type", "checkbox"), ("id", box), ("name", "uidl"), ("value", uidl))
                .Open("label", ("for", box), ("class", "visually-hidden")).Text($"Select {uidl}").Raw("</label></td>")
                .Element("td", uidl, ("class", "uidl"))
                .Element("td", (shown[i]["size"]?.GetValue<long>() ?? 0).ToString(CultureInfo.InvariantCulture))
                .Element("td", AccountRow.Time(shown[i]["firstSeen"]))
                .Element("td", AccountRow.Time(shown[i]["collectedAt"]))
                .Raw("<td>").Element("span", state, ("class", "badge " + state)).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div>");
        if (all.Count == 0)
        {
            html.Element("p", "No message-lines: nothing collected yet, or everything collected is gone from the server.");
        }

        html.Raw("<div class=\"actions\" role=\"group\" aria-label=\"Collector Tasks for the selected lines\">")
            .Raw("<button type=\"submit\" name=\"action\" value=\"download\">Mark for Download</button>")
            .Raw("<button type=\"submit\" name=\"action\" value=\"delete\" class=\"danger\">Mark for Deletion</button>")
            .Raw("<button type=\"submit\" name=\"action\" value=\"clear\">Reverse the mark</button></div></form>");

        if (pages > 1)
        {
            html.Raw("<nav class=\"pages\" aria-label=\"Pages\"><ul>");
            foreach (var p in new[] { 1, page - 1, page, page + 1, pages }.Where(p => p >= 1 && p <= pages).Distinct().Order())
            {
                html.Raw("<li>").Open("a", ("href", $"/accounts/{escaped}/messages?page={p.ToString(CultureInfo.InvariantCulture)}"), ("aria-current", p == page ? "page" : null))
                    .Text(p.ToString(CultureInfo.InvariantCulture)).Raw("</a></li>");
            }

            html.Raw("</ul></nav>");
        }

        html.Raw("<section aria-labelledby=\"reset-h\"><h2 id=\"reset-h\">Reset the collector</h2>")
            .Element("p", "Forgets collected messages so the next collection fetches them again (the destination recognises copies it already holds). With leave mail on server, that can be the whole remote mailbox: the preview says how many first.")
            .Open("form", ("method", "post"), ("action", $"/accounts/{escaped}/reset"), ("class", "inline"));
        AccountPage.Csrf(html, csrf);
        html.Raw("<label for=\"since\">Only messages first seen since (optional)</label><input type=\"date\" id=\"since\" name=\"since\">")
            .Raw("<button type=\"submit\">Preview reset</button></form></section>");
        return PageLayout.Document($"Collector window: {id}", "mailboxes", user, csrf, html.ToString());
    }
}
