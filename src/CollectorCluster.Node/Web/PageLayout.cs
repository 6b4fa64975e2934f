namespace CollectorCluster.Node.Web;

/// <summary>
/// The frame of every console page: a skip link, the navigation (Mailboxes, Add, Cluster), who is logged in with a
/// logout button, and the main content. Styles and script come from the node itself (<c>/static/</c>), never from
/// elsewhere, and no inline script or style is used, so the Content-Security-Policy can forbid both.
/// </summary>
public static class PageLayout
{
    /// <summary>A whole page.</summary>
    /// <param name="title">The page's title (text).</param>
    /// <param name="active">The navigation entry to mark current: <c>mailboxes</c>, <c>add</c>, <c>cluster</c>, or empty.</param>
    /// <param name="user">Who is logged in; null on the login page.</param>
    /// <param name="csrf">The request's CSRF token for the logout form; null on the login page.</param>
    /// <param name="main">The content (markup built with <see cref="Html"/>).</param>
    public static string Document(string title, string active, string? user, string? csrf, string main)
    {
        var page = new Html()
            .Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Element("title", $"{title} - CollectorCluster")
            .Raw("<link rel=\"stylesheet\" href=\"/static/console.css\"><script src=\"/static/console.js\" defer></script></head><body>")
            .Raw("<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><span class=\"brand\">CollectorCluster</span>");
        if (user is not null)
        {
            page.Raw("<nav aria-label=\"Console\"><ul>");
            Link(page, "/", "Remote POP3 Mailboxes", active == "mailboxes");
            Link(page, "/accounts/new", "Add", active == "add");
            Link(page, "/cluster", "Cluster", active == "cluster");
            page.Raw("</ul></nav><form class=\"logout\" method=\"post\" action=\"/logout\">")
                .Open("input", ("type", "hidden"), ("name", ConsoleSecurity.CsrfField), ("value", csrf))
                .Element("span", user, ("class", "who"))
                .Raw(" <button type=\"submit\">Log out</button></form>");
        }

        return page.Raw("</header><main id=\"main\" tabindex=\"-1\">")
            .Element("h1", title)
            .Raw(main)
            .Raw("</main></body></html>")
            .ToString();
    }

    /// <summary>A result banner: a command's lines or its error, announced to screen readers.</summary>
    public static string Banner(bool ok, IEnumerable<string> lines)
    {
        var html = new Html().Open("div", ("class", ok ? "banner ok" : "banner error"), ("role", ok ? "status" : "alert"));
        foreach (var line in lines)
        {
            html.Element("p", line);
        }

        return html.Raw("</div>").ToString();
    }

    /// <summary>The page that says the node is not serving the console yet (before it is Up and configured).</summary>
    public static string Starting() => Document("Starting", "", null, null, new Html().Element("p", "The node is starting: it is not yet an Up member of its cluster with its accounts configured. This page works once it is (see /readyz).").ToString());

    private static void Link(Html page, string href, string text, bool current)
    {
        page.Raw("<li>").Open("a", ("href", href), ("aria-current", current ? "page" : null)).Text(text).Raw("</a></li>");
    }
}
