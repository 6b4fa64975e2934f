using System.Text.Json.Nodes;
using CollectorCluster.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollectorCluster.WebTests;

/// <summary>
/// The web console in a real browser (Debian's Chromium through Playwright) against a real `collector run` and the
/// private Dovecot: log in, add an account and watch it collect without reloading, mark a line for deletion and see
/// it deleted on the server after the next collection, reset with its preview; a refused password shows the server's
/// text and the needs-operator state; without a session a page redirects to the login, and a POST without the CSRF
/// token is refused; the node's token logs in too. Each page is saved as a screenshot (see <see cref="Screenshots"/>).
/// </summary>
public sealed class ConsoleBrowserTests(DovecotFixture dovecot, ChromiumFixture chromium, ConsoleNodeFixture console)
    : IClassFixture<ChromiumFixture>, IClassFixture<ConsoleNodeFixture>
{
    // Sessions against Dovecot on a loaded machine: generous bounds on waiting for real state, never timing assertions.
    private static readonly LocatorAssertionsToContainTextOptions Patient = new() { Timeout = 180_000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => dovecot.Server;

    private WebNode Node => console.Node;

    [Fact]
    public async Task An_operator_adds_an_account_watches_it_collect_deletes_a_line_on_the_server_and_resets_it()
    {
        var user = await Server.CreateUserAsync("web", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1500 + (i * 500), 900 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        var id = user.Name;
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var fetched = new List<string>();
        page.Request += (_, request) => fetched.Add(request.Url);

        // Without a session, a page request is redirected to the login form, which then returns to the page asked for.
        var first = await page.GotoAsync("/accounts/new");
        Assert.StartsWith(Node.Url + "/login?returnUrl=%2Faccounts%2Fnew", page.Url);
        Assert.Equal(200, first!.Status);
        await Screenshots.SaveAsync(page, "login.png");
        await LogInAsync(page);
        Assert.Equal(Node.Url + "/accounts/new", page.Url);

        // Add: the seed's Account Details fields, the password write-only.
        await page.GetByLabel("Account id").FillAsync(id);
        await page.GetByLabel("POP3 Server").FillAsync(Server.Host);
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync(Server.PlainPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("POP3 Account").FillAsync(user.Name);
        await page.GetByLabel("Password", new() { Exact = false }).First.FillAsync(user.Password);
        await page.GetByLabel("Leave Mail on Server").SelectOptionAsync("on");
        await page.GetByLabel("Check mailbox every").FillAsync("10s");
        await page.GetByLabel("Deliver to (mailbox)").FillAsync($"maildir:{Node.MailRoot}/{id}");
        await Screenshots.SaveAsync(page, "add.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Node.Url + "/accounts/" + id);
        Assert.DoesNotContain(user.Password, await page.ContentAsync());

        // The account collects on its schedule; the page shows it as it happens, without being reloaded.
        await MarkDocumentAsync(page);
        await Expect(page.Locator("dl.status [data-field=outcome]")).ToContainTextAsync("ok, 3 collected", Patient);
        await Expect(page.Locator("dl.status [data-field=onServer]")).ToHaveTextAsync("3");
        await AssertSameDocumentAsync(page);
        await page.ReloadAsync(); // the history chart is drawn by the server
        await Expect(page.Locator("figure.chart svg rect.bar").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "account.png");

        await page.GotoAsync("/");
        await Expect(page.Locator($"tr[data-account='{id}'] [data-field=status]")).ToContainTextAsync("ok");
        await Expect(page.Locator($"tr[data-account='{id}'] [data-field=address]")).ToHaveTextAsync($"{user.Name}@{Server.Host}");
        await Screenshots.SaveAsync(page, "mailboxes.png");

        // Collector window: mark one line for deletion; after the next collection it is gone from the server and the page.
        await page.GotoAsync($"/accounts/{id}/messages");
        var rows = page.Locator("table.lines tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var uidl = await rows.First.GetAttributeAsync("data-uidl");
        await rows.First.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark for Deletion" }).ClickAsync();
        await Expect(page.Locator(".banner")).ToContainTextAsync("marked for deletion");
        await Expect(page.Locator($"tr[data-uidl='{uidl}'] .badge")).ToHaveTextAsync("marked-delete");
        await MarkDocumentAsync(page);
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 180_000 });
        await AssertSameDocumentAsync(page);
        Assert.Equal(2, Server.CountMessages(user.Name));
        await Screenshots.SaveAsync(page, "collector-window.png");

        // Reset: the preview first, then the confirmation.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview reset" }).ClickAsync();
        await Expect(page.Locator(".banner")).ToContainTextAsync($"{id}: reset would forget 2 collected message(s)");
        await Screenshots.SaveAsync(page, "reset-preview.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page.Locator(".banner")).ToContainTextAsync($"{id}: forgot 2 collected message(s)");

        await page.GotoAsync("/cluster");
        await Expect(page.Locator("table").First).ToContainTextAsync("(this node)");
        await Expect(page.Locator("body")).ToContainTextAsync("Connection tokens");
        await Screenshots.SaveAsync(page, "cluster.png");

        // A narrow screen: the list still works (its table scrolls sideways inside the page).
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/?q=" + id);
        await Expect(page.Locator($"tr[data-account='{id}']")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "mailboxes-narrow.png");

        // Every page, style, script and live feed came from the node itself.
        Assert.NotEmpty(fetched);
        Assert.All(fetched, url => Assert.StartsWith(Node.Url + "/", url, StringComparison.Ordinal));

        // The example Grafana dashboard asks only for metrics a node exports: after these scheduled sessions, every
        // metric its queries name is in this node's /metrics.
        var metrics = await Node.GetHealthAsync("/metrics", Ct);
        var names = Dashboard.MetricNames();
        Assert.Contains("collector_collections_total", names);
        Assert.All(names, name => Assert.Matches($"(?m)^{name}[{{ ]", metrics));
        Assert.DoesNotContain(user.Password, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_password_shows_the_server_text_and_the_needs_operator_state()
    {
        var user = await Server.CreateUserAsync("webbad", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(2000, 7));
        var id = user.Name;
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await LogInAsync(page);
        await page.GotoAsync("/accounts/new");
        await page.GetByLabel("Account id").FillAsync(id);
        await page.GetByLabel("POP3 Server").FillAsync(Server.Host);
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync(Server.PlainPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("POP3 Account").FillAsync(user.Name);
        await page.GetByLabel("Password", new() { Exact = false }).First.FillAsync(TestSecrets.Password("wrong"));
        await page.GetByLabel("Check mailbox every").FillAsync("10s");
        await page.GetByLabel("Deliver to (mailbox)").FillAsync($"maildir:{Node.MailRoot}/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Node.Url + "/accounts/" + id);

        await MarkDocumentAsync(page);
        await Expect(page.Locator("dl.status [data-field=outcome]")).ToContainTextAsync("-ERR [AUTH] Authentication failed.", Patient);
        await Expect(page.Locator("dl.status [data-field=health]")).ToContainTextAsync("NeedsOperator", Patient);
        await Expect(page.Locator("dl.status [data-field=status] .badge")).ToHaveTextAsync("needs-operator", new() { Timeout = 180_000 });
        await AssertSameDocumentAsync(page);
        Assert.Equal(1, Server.CountMessages(user.Name));
        await Screenshots.SaveAsync(page, "needs-operator.png");

        // A wrong form value is refused by the accounts file's own rules, naming the key.
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync("70000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator(".banner.error")).ToContainTextAsync("port");
    }

    [Fact]
    public async Task A_post_without_the_csrf_token_is_refused_even_with_a_session()
    {
        var id = "csrf-" + Guid.NewGuid().ToString("N")[..8];
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        // Keyboard only: the user field has the focus, Tab reaches the password, Enter logs in.
        await Expect(page.GetByLabel("User", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(WebNode.AdminUser);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Node.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("header nav")).ToContainTextAsync("Remote POP3 Mailboxes");
        // An account to act on, added through the form (a runtime account can be paused and removed).
        await page.GotoAsync("/accounts/new");
        await page.GetByLabel("Account id").FillAsync(id);
        await page.GetByLabel("POP3 Server").FillAsync("127.0.0.1");
        await page.GetByLabel("POP3 Account").FillAsync("nobody");
        await page.GetByLabel("Password", new() { Exact = false }).First.FillAsync(TestSecrets.Password("csrf"));
        await page.GetByLabel("Check mailbox every").FillAsync("24h");
        await page.GetByLabel("enabled", new() { Exact = true }).SelectOptionAsync("off");
        await page.GetByLabel("Deliver to (mailbox)").FillAsync($"maildir:{Node.MailRoot}/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Node.Url + "/accounts/" + id);

        // The session cookie goes along (same browser context); the CSRF token does not.
        var refused = await context.APIRequest.PostAsync($"/accounts/{id}/pause", new() { Form = context.APIRequest.CreateFormData().Set("state", "x") });
        Assert.Equal(400, refused.Status);
        Assert.Contains("CSRF", await refused.TextAsync());
        var show = await CollectorCtl.RunAsync([Node.CtlAddress, "collector", "show", id, "--json"], Ct);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.False(JsonNode.Parse(show.Output)!["paused"]!.GetValue<bool>());

        // With the token (the page's own form) the same request is served.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.Locator(".banner")).ToContainTextAsync($"{id}: paused");

        // The node's command-host token logs in too (the user left empty), back to the page asked for; no page shows it.
        var token = (await File.ReadAllTextAsync(Node.TokenFile, Ct)).Trim();
        await using var tokenContext = await NewContextAsync();
        var tokenPage = await tokenContext.NewPageAsync();
        await tokenPage.GotoAsync("/cluster");
        await tokenPage.GetByLabel("Password", new() { Exact = true }).FillAsync(token);
        await tokenPage.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(tokenPage.Locator("header .who")).ToHaveTextAsync("(node token)");
        Assert.Equal(Node.Url + "/cluster", tokenPage.Url);
        Assert.DoesNotContain(token, await tokenPage.ContentAsync(), StringComparison.Ordinal);
    }

    private async Task<IBrowserContext> NewContextAsync() =>
        await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Node.Url, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

    private async Task LogInAsync(IPage page)
    {
        await page.GetByLabel("User", new() { Exact = true }).FillAsync(WebNode.AdminUser);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Node.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("header nav")).ToContainTextAsync("Remote POP3 Mailboxes");
    }

    // A value in the page's window lives exactly as long as the document: still there later means no reload happened.
    private static Task MarkDocumentAsync(IPage page) => page.EvaluateAsync("window.ccDocument = 'unchanged'");

    private static async Task AssertSameDocumentAsync(IPage page) =>
        Assert.Equal("unchanged", await page.EvaluateAsync<string?>("window.ccDocument ?? null"));
}
