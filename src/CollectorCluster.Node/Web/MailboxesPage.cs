using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The console's Remote POP3 Mailboxes list: every account of the cluster (<c>collector list</c>), filtered by
/// status and searched by id or address on the server, one page of at most <see cref="PageSize"/> rows at a time,
/// so thousands of accounts stay quick; the rows shown update live from the account feed.
/// </summary>
public static class MailboxesPage
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 50;

    /// <summary>The status filter's choices (<c>collector list --status</c>'s words).</summary>
    public static readonly string[] Statuses = ["ok", "failed", "never", "disabled", "paused", "collecting", "needs-operator"];

    /// <summary>Renders the list from <c>collector list --json</c>'s data.</summary>
    public static string Render(JsonArray accounts, string? query, string? status, int page, string user, string csrf)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var all = accounts.Where(a => a is not null).Select(a => AccountRow.From(a!)).ToList();
        var q = (query ?? "").Trim();
        var matching = all
            .Where(r => status is null || r.Status == status)
            .Where(r => q.Length == 0 || r.Id.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Address.Contains(q, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var shown = matching.Skip((page - 1) * PageSize).Take(PageSize).ToList();

        var html = new Html();
        html.Raw("<p class=\"summary\">").Text($"{all.Count} account(s) in the cluster: ")
            .Text(string.Join(", ", Statuses.Select(s => (s, n: all.Count(r => r.Status == s))).Where(x => x.n > 0).Select(x => $"{x.n} {x.s}")))
            .Raw("</p>");
        html.Raw("<form class=\"filter\" method=\"get\" action=\"/\" role=\"search\">")
            .Raw("<label for=\"q\">Search id or address</label>")
            .Open("input", ("type", "search"), ("id", "q"), ("name", "q"), ("value", q), ("autocomplete", "off"))
            .Raw("<label for=\"status\">Status</label><select id=\"status\" name=\"status\"><option value=\"\">any</option>");
        foreach (var s in Statuses)
        {
            html.Open("option", ("value", s), ("selected", s == status ? "selected" : null)).Text(s).Raw("</option>");
        }

        html.Raw("</select><button type=\"submit\">Filter</button></form>");
        html.Raw("<p class=\"count\">").Text(matching.Count == all.Count ? $"Showing {shown.Count} of {all.Count}" : $"{matching.Count} match; showing {shown.Count}").Raw("</p>");

        var ids = string.Join(',', shown.Select(r => r.Id));
        html.Raw("<div class=\"scroll\">").Open("table", ("class", "accounts"), ("data-feed", shown.Count == 0 ? null : "/events/accounts?ids=" + Uri.EscapeDataString(ids)))
            .Raw("<caption>Remote POP3 Mailboxes</caption><thead><tr>")
            .Raw("<th scope=\"col\">Id</th><th scope=\"col\">Account</th><th scope=\"col\">Node</th><th scope=\"col\">Status</th><th scope=\"col\">Health</th>")
            .Raw("<th scope=\"col\">Last collection</th><th scope=\"col\">Outcome</th><th scope=\"col\">Next due</th><th scope=\"col\">On server</th><th scope=\"col\">Collected</th>")
            .Raw("</tr></thead><tbody>");
        foreach (var r in shown)
        {
            html.Open("tr", ("data-account", r.Id))
                .Raw("<th scope=\"row\">").Open("a", ("href", "/accounts/" + Uri.EscapeDataString(r.Id))).Text(r.Id).Raw("</a></th>");
            Cell(html, "address", r.Address);
            Cell(html, "node", r.Node);
            html.Raw("<td data-field=\"status\">").Element("span", r.Status, ("class", "badge " + r.Status)).Raw("</td>");
            Cell(html, "health", r.HealthReason.Length == 0 ? r.Health : $"{r.Health}: {r.HealthReason}");
            Cell(html, "lastCollection", r.LastCollection);
            Cell(html, "outcome", r.Outcome);
            Cell(html, "nextDue", r.NextDue);
            Cell(html, "onServer", r.OnServer.ToString(CultureInfo.InvariantCulture));
            Cell(html, "totalCollected", r.TotalCollected.ToString(CultureInfo.InvariantCulture));
            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></div>");
        if (shown.Count == 0)
        {
            html.Element("p", all.Count == 0 ? "No accounts yet: add one, or list them in the node file." : "No account matches.");
        }

        if (pages > 1)
        {
            html.Raw("<nav class=\"pages\" aria-label=\"Pages\"><ul>");
            foreach (var p in PageNumbers(page, pages))
            {
                var href = "/?" + string.Join('&', new[]
                {
                    q.Length > 0 ? "q=" + Uri.EscapeDataString(q) : null,
                    status is null ? null : "status=" + Uri.EscapeDataString(status),
                    "page=" + p.ToString(CultureInfo.InvariantCulture),
                }.Where(x => x is not null));
                html.Raw("<li>").Open("a", ("href", href), ("aria-current", p == page ? "page" : null)).Text(p.ToString(CultureInfo.InvariantCulture)).Raw("</a></li>");
            }

            html.Raw("</ul></nav>");
        }

        return PageLayout.Document("Remote POP3 Mailboxes", "mailboxes", user, csrf, html.ToString());
    }

    private static void Cell(Html html, string field, string text) => html.Open("td", ("data-field", field)).Text(text).Raw("</td>");

    // First, last and the pages around the current one: a handful of links even for thousands of pages.
    private static IEnumerable<int> PageNumbers(int page, int pages) =>
        new[] { 1, page - 2, page - 1, page, page + 1, page + 2, pages }.Where(p => p >= 1 && p <= pages).Distinct().Order();
}
