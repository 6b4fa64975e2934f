namespace CollectorCluster.Node.Web;

/// <summary>The login form: a user and password, or (when allowed) the node's command token with the user left empty.</summary>
public static class LoginPage
{
    /// <summary>Renders the form; <paramref name="error"/> says why the last attempt was refused.</summary>
    public static string Render(string? error, string returnUrl, bool tokenLogin, string csrf)
    {
        var html = new Html();
        if (error is not null)
        {
            html.Raw(PageLayout.Banner(false, [error]));
        }

        html.Open("form", ("method", "post"), ("action", "/login"), ("class", "login"));
        AccountPage.Csrf(html, csrf);
        html.Open("input", ("type", "hidden"), ("name", "returnUrl"), ("value", returnUrl))
            .Raw("<div class=\"field\"><label for=\"user\">User</label>")
            .Open("input", ("type", "text"), ("id", "user"), ("name", "user"), ("autocomplete", "username"), ("autofocus", "autofocus"), ("aria-describedby", tokenLogin ? "user-h" : null));
        if (tokenLogin)
        {
            html.Element("small", "Leave empty to sign in with the node's command-host token as the password.", ("id", "user-h"));
        }

        html.Raw("</div><div class=\"field\"><label for=\"password\">Password</label>")
            .Raw("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required></div>")
            .Raw("<button type=\"submit\">Log in</button></form>");
        return PageLayout.Document("Log in", "", null, null, html.ToString());
    }
}
