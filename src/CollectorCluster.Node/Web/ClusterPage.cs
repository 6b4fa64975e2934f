using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The cluster as this node sees it: the members (<c>cluster show</c>), shards and accounts per node
/// (<c>shard stats</c>), this node's connection tokens per POP3 server (<c>tokens show</c>: held, queued, waits)
/// and its online condition (<c>node show</c>, with the buttons that set it).
/// </summary>
public static class ClusterPage
{
    /// <summary>Renders the page from the four commands' data.</summary>
    public static string Render(JsonArray members, JsonArray shards, JsonNode tokens, JsonNode node, string? banner, string user, string csrf)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(node);
        var html = new Html().Raw(banner ?? "");
        html.Raw("<section aria-labelledby=\"members-h\"><h2 id=\"members-h\">Members</h2><div class=\"scroll\"><table><thead><tr>")
            .Raw("<th scope=\"col\">Address</th><th scope=\"col\">Roles</th><th scope=\"col\">Status</th><th scope=\"col\">Reachability</th></tr></thead><tbody>");
        foreach (var m in members.Where(m => m is not null))
        {
            var self = m!["self"]?.GetValue<bool>() == true;
            html.Raw("<tr>").Element("th", m["address"]!.GetValue<string>() + (self ? " (this node)" : ""), ("scope", "row"))
                .Element("td", string.Join(",", m["roles"]!.AsArray().Select(r => r!.GetValue<string>())) is { Length: > 0 } roles ? roles : "-")
                .Element("td", m["status"]!.GetValue<string>())
                .Element("td", m["reachable"]!.GetValue<bool>() ? "reachable" : "unreachable").Raw("</tr>");
        }

        html.Raw("</tbody></table></div></section>");

        html.Raw("<section aria-labelledby=\"shards-h\"><h2 id=\"shards-h\">Shards per node</h2><div class=\"scroll\"><table><thead><tr>")
            .Raw("<th scope=\"col\">Node</th><th scope=\"col\">Shards</th><th scope=\"col\">Accounts</th></tr></thead><tbody>");
        foreach (var s in shards.Where(s => s is not null))
        {
            html.Raw("<tr>").Element("th", s!["address"]!.GetValue<string>(), ("scope", "row"))
                .Element("td", Num(s["shards"])).Element("td", Num(s["entities"])).Raw("</tr>");
        }

        html.Raw("</tbody></table></div></section>");

        html.Raw("<section aria-labelledby=\"tokens-h\"><h2 id=\"tokens-h\">Connection tokens (this node)</h2>")
            .Element("p", $"Held {Num(tokens["held"])} of {Num(tokens["maxPop3Clients"])} (connecting {Num(tokens["connecting"])} of {Num(tokens["maxConnecting"])}), queued {Num(tokens["queued"])}; granted {Num(tokens["grantedTotal"])}, reclaimed {Num(tokens["reclaimedTotal"])}; wait p50 {Ms(tokens["waitP50Ms"])}, p99 {Ms(tokens["waitP99Ms"])}, max {Ms(tokens["waitMaxMs"])}.")
            .Raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Server</th>").Element("th", $"Held (of {Num(tokens["maxPerServer"])})", ("scope", "col"))
            .Raw("<th scope=\"col\">Connecting</th><th scope=\"col\">Queued</th><th scope=\"col\">Granted</th><th scope=\"col\">Reclaimed</th><th scope=\"col\">Wait p50</th><th scope=\"col\">p99</th><th scope=\"col\">max</th></tr></thead><tbody>");
        foreach (var s in tokens["servers"]!.AsArray().Where(s => s is not null))
        {
            html.Raw("<tr>").Element("th", s!["server"]!.GetValue<string>(), ("scope", "row"))
                .Element("td", Num(s["held"])).Element("td", Num(s["connecting"])).Element("td", Num(s["queued"]))
                .Element("td", Num(s["grantedTotal"])).Element("td", Num(s["reclaimedTotal"]))
                .Element("td", Ms(s["waitP50Ms"])).Element("td", Ms(s["waitP99Ms"])).Element("td", Ms(s["waitMaxMs"])).Raw("</tr>");
        }

        html.Raw("</tbody></table></div></section>");

        var online = node["online"]?.GetValue<bool>() == true;
        html.Raw("<section aria-labelledby=\"online-h\"><h2 id=\"online-h\">Online condition (this node)</h2>")
            .Element("p", $"The node is {(online ? "online" : "offline")}; {Num(node["accountsNeedingOnline"])} account(s) with local-area-network = off collect only while it is online.")
            .Open("form", ("method", "post"), ("action", "/cluster/online"), ("class", "inline"));
        AccountPage.Csrf(html, csrf);
        html.Open("button", ("type", "submit"), ("name", "state"), ("value", online ? "offline" : "online")).Text(online ? "Go offline" : "Go online").Raw("</button></form></section>");
        return PageLayout.Document("Cluster", "cluster", user, csrf, html.ToString());
    }

    private static string Num(JsonNode? value) => value is null ? "-" : value.GetValue<double>().ToString("0", CultureInfo.InvariantCulture);

    private static string Ms(JsonNode? value) => value is null ? "-" : value.GetValue<double>().ToString("0", CultureInfo.InvariantCulture) + " ms";
}
