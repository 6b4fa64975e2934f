using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// One account: its status (live), the operator's actions on it (collect now, pause or resume, enable or disable,
/// remove), its collection history chart, a link to its Collector window, and its Properties (every Account Details
/// field and option, editable for accounts added at run time; an accounts-file account is changed in the file).
/// Also the Add page, the same form empty.
/// </summary>
public static class AccountPage
{
    /// <summary>Renders the account from <c>collector show --json</c>, <c>collector history --json</c> and where it runs.</summary>
    /// <param name="show">The account's data (status, settings, source).</param>
    /// <param name="history">Its last sessions.</param>
    /// <param name="node">The member hosting it, or <c>-</c>.</param>
    /// <param name="banner">A result to show first (markup from <see cref="PageLayout.Banner"/>), or null.</param>
    /// <param name="submitted">The form as submitted when an edit was refused (shown again, password excepted); null: the current settings.</param>
    /// <param name="user">Who is logged in.</param>
    /// <param name="csrf">The request's CSRF token.</param>
    public static string Render(JsonNode show, JsonArray history, string node, string? banner, IReadOnlyDictionary<string, string>? submitted, string user, string csrf)
    {
        ArgumentNullException.ThrowIfNull(show);
        var id = show["id"]!.GetValue<string>();
        var row = AccountRow.From(show) with { Node = node };
        var source = show["source"]?.GetValue<string>();
        var settings = show["settings"] as JsonObject;
        var runtime = source == "runtime";
        var paused = show["paused"]?.GetValue<bool>() == true;
        var enabled = show["enabled"]?.GetValue<bool>() == true;
        var html = new Html().Raw(banner ?? "");

        html.Open("section", ("aria-labelledby", "status-h")).Raw("<h2 id=\"status-h\">Status</h2>")
            .Open("dl", ("class", "status"), ("data-account", id), ("data-feed", "/events/accounts?ids=" + Uri.EscapeDataString(id)), ("aria-live", "polite"));
        Term(html, "Account", "address", row.Address);
        Term(html, "Node", "node", row.Node);
        html.Raw("<dt>Status</dt><dd data-field=\"status\">").Element("span", row.Status, ("class", "badge " + row.Status)).Raw("</dd>");
        Term(html, "Health", "health", row.HealthReason.Length == 0 ? row.Health : $"{row.Health}: {row.HealthReason}");
        Term(html, "Last collection", "lastCollection", row.LastCollection);
        Term(html, "Outcome", "outcome", row.Outcome);
        Term(html, "Next due", "nextDue", row.NextDue);
        Term(html, "Collected, still on server", "onServer", row.OnServer.ToString(CultureInfo.InvariantCulture));
        Term(html, "Collected in total", "totalCollected", row.TotalCollected.ToString(CultureInfo.InvariantCulture));
        html.Raw("</dl>");

        html.Raw("<div class=\"actions\">");
        Action(html, id, "collect", "Collect now", csrf);
        Action(html, id, paused || row.Health == "NeedsOperator" ? "resume" : "pause", paused || row.Health == "NeedsOperator" ? "Resume" : "Pause", csrf);
        if (runtime)
        {
            Action(html, id, enabled ? "disable" : "enable", enabled ? "Disable" : "Enable", csrf);
            Action(html, id, "remove", "Remove", csrf);
        }

        html.Open("a", ("class", "button"), ("href", $"/accounts/{Uri.EscapeDataString(id)}/messages")).Text("Collector window (message-lines)").Raw("</a></div></section>");

        html.Raw("<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">Collection history</h2>").Raw(HistoryChart.Render(history)).Raw("</section>");

        html.Raw("<section aria-labelledby=\"props-h\"><h2 id=\"props-h\">Properties</h2>");
        if (settings is null)
        {
            html.Element("p", "This node has no settings for this account (it is not in this node's accounts file nor added at run time here).");
        }
        else
        {
            var values = submitted ?? settings.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
            if (!runtime)
            {
                html.Element("p", "Defined in the accounts file: change it there and reload (SIGHUP). Shown read-only.", ("class", "note"));
            }

            html.Open("form", ("method", "post"), ("action", $"/accounts/{Uri.EscapeDataString(id)}/edit"), ("class", "properties"));
            Csrf(html, csrf);
            AccountForm.Fields(html, values, adding: false, editable: runtime);
            if (runtime)
            {
                html.Raw("<button type=\"submit\">Save</button>");
            }

            html.Raw("</form>");
        }

        return PageLayout.Document($"Account {id}", "mailboxes", user, csrf, html.Raw("</section>").ToString());
    }

    /// <summary>The Add page: the form with the defaults (or what was submitted when the add was refused).</summary>
    public static string RenderAdd(IReadOnlyDictionary<string, string> values, string? banner, string user, string csrf)
    {
        var html = new Html().Raw(banner ?? "")
            .Element("p", "A new remote POP3 mailbox, collected by the cluster from now on. Checked by the same rules as the accounts file.")
            .Open("form", ("method", "post"), ("action", "/accounts/new"), ("class", "properties"));
        Csrf(html, csrf);
        AccountForm.Fields(html, values, adding: true, editable: true);
        html.Raw("<button type=\"submit\">Add account</button></form>");
        return PageLayout.Document("Add a remote POP3 mailbox", "add", user, csrf, html.ToString());
    }

    /// <summary>A confirmation: what the command would do (its preview) and a button that repeats it with <c>--yes</c>.</summary>
    public static string Confirm(string title, string action, IReadOnlyDictionary<string, string> fields, IEnumerable<string> preview, string back, string user, string csrf)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var html = new Html().Raw(PageLayout.Banner(true, preview)).Open("form", ("method", "post"), ("action", action));
        Csrf(html, csrf);
        foreach (var (name, value) in fields)
        {
            html.Open("input", ("type", "hidden"), ("name", name), ("value", value));
        }

        html.Raw("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\" class=\"danger\">Confirm</button> ")
            .Open("a", ("class", "button"), ("href", back)).Text("Cancel").Raw("</a></form>");
        return PageLayout.Document(title, "mailboxes", user, csrf, html.ToString());
    }

    /// <summary>The hidden CSRF field of a form.</summary>
    public static void Csrf(Html html, string csrf)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Open("input", ("type", "hidden"), ("name", ConsoleSecurity.CsrfField), ("value", csrf));
    }

    private static void Term(Html html, string term, string field, string value) =>
        html.Element("dt", term).Open("dd", ("data-field", field)).Text(value).Raw("</dd>");

    private static void Action(Html html, string id, string verb, string label, string csrf)
    {
        html.Open("form", ("method", "post"), ("action", $"/accounts/{Uri.EscapeDataString(id)}/{verb}"), ("class", "inline"));
        Csrf(html, csrf);
        html.Open("button", ("type", "submit"), ("class", verb == "remove" ? "danger" : null)).Text(label).Raw("</button></form>");
    }
}
