using System.Security.Claims;
using System.Text.Json.Nodes;
using CollectorCluster.Wire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The console's routes. Each page runs the operator commands through <see cref="ConsoleCommands"/> (the command
/// layer collectorctl talks to) and renders their answers; a command that only previews without <c>--yes</c>
/// (remove, reset, a deleting edit, deleting a never-collected message) shows its preview with a Confirm button that
/// repeats it with <c>--yes</c>. Every route but the login and the static files needs a login.
/// </summary>
public static class ConsoleEndpoints
{
    private const int MaxFollowed = 200;

    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app, WebConsoleOptions options, ConsoleCommands commands, AccountFeed feed, ConsoleLogin login)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        app.MapGet("/static/{name}", (string name) => StaticAsset(name));
        MapLogin(app, options, commands, login);

        var console = app.MapGroup("").RequireAuthorization();
        console.AddEndpointFilter(async (context, next) =>
            commands.Ready ? await next(context).ConfigureAwait(false) : Page(context.HttpContext, PageLayout.Starting(), StatusCodes.Status503ServiceUnavailable));

        MapMailboxesAndAccounts(console, commands);
        MapAccountEdit(console, commands);
        MapAccountActions(console, commands);
        MapMessages(console, commands);
        MapClusterAndEvents(console, commands, feed);
    }

    // The login form and its post (both open without a login), and the logout.
    private static void MapLogin(WebApplication app, WebConsoleOptions options, ConsoleCommands commands, ConsoleLogin login)
    {
        app.MapGet("/login", (HttpContext c) => Page(c, LoginPage.Render(null, SafeReturn(c.Request.Query["returnUrl"]), options.TokenLogin, Csrf(c))));
        app.MapPost("/login", Handler(async c =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var back = SafeReturn(form["returnUrl"]);
            if (!commands.Ready)
            {
                return Page(c, PageLayout.Starting(), StatusCodes.Status503ServiceUnavailable);
            }

            var (user, refusal) = login.Check(form["user"].ToString(), form["password"].ToString(), c.Connection.RemoteIpAddress ?? System.Net.IPAddress.None);
            if (user is null)
            {
                return Page(c, LoginPage.Render(refusal, back, options.TokenLogin, Csrf(c)), StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await c.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            return Results.Redirect(back);
        }));
        app.MapPost("/logout", Handler(async c =>
        {
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        })).RequireAuthorization();
    }

    // The mailbox list, adding an account and an account's page.
    private static void MapMailboxesAndAccounts(RouteGroupBuilder console, ConsoleCommands commands)
    {
        console.MapGet("/", async (HttpContext c, string? q, string? status, int? page) =>
        {
            var list = await commands.RunAsync(["collector", "list"], c.RequestAborted).ConfigureAwait(false);
            var chosen = MailboxesPage.Statuses.Contains(status) ? status : null;
            return Page(c, MailboxesPage.Render(list.Data as JsonArray ?? [], q, chosen, page ?? 1, User(c), Csrf(c)));
        });

        console.MapGet("/accounts/new", (HttpContext c) => Page(c, AccountPage.RenderAdd(AccountForm.Defaults, null, User(c), Csrf(c))));
        console.MapPost("/accounts/new", Handler(async c =>
        {
            var form = await Form(c).ConfigureAwait(false);
            var id = form.GetValueOrDefault("id", "").Trim();
            var password = form.GetValueOrDefault(AccountForm.PasswordField, "");
            var added = await commands.RunAsync(["collector", "add", id, .. AccountForm.Options(form, AccountForm.Defaults)], c.RequestAborted, password).ConfigureAwait(false);
            if (added.Ok)
            {
                return Results.Redirect("/accounts/" + Uri.EscapeDataString(id), permanent: false);
            }

            form.Remove(AccountForm.PasswordField);
            return Page(c, AccountPage.RenderAdd(form, Banner(added), User(c), Csrf(c)), StatusCodes.Status422UnprocessableEntity);
        }));

        console.MapGet("/accounts/{id}", (HttpContext c, string id) => AccountAsync(c, commands, id, null, null));
    }

    // Editing an account: a deleting edit previews first and asks to confirm.
    private static void MapAccountEdit(RouteGroupBuilder console, ConsoleCommands commands)
    {
        console.MapPost("/accounts/{id}/edit", async (HttpContext c, string id) =>
        {
            var form = await Form(c).ConfigureAwait(false);
            var show = await commands.RunAsync(["collector", "show", id], c.RequestAborted).ConfigureAwait(false);
            if (show.Data?["settings"] is not JsonObject settings)
            {
                return await AccountAsync(c, commands, id, Banner(show.Ok ? Failure("this node has no settings for the account") : show), null).ConfigureAwait(false);
            }

            var current = settings.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
            var options = AccountForm.Options(form, current);
            var password = form.GetValueOrDefault(AccountForm.PasswordField, "");
            if (options.Count == 0 && password.Length == 0)
            {
                return await AccountAsync(c, commands, id, PageLayout.Banner(true, ["Nothing changed."]), null).ConfigureAwait(false);
            }

            var confirmed = form.GetValueOrDefault("confirm") == "yes";
            var edit = await commands.RunAsync(["collector", "edit", id, .. options, .. confirmed ? new[] { "--yes" } : []], c.RequestAborted, password.Length == 0 ? null : password).ConfigureAwait(false);
            if (edit.Ok && edit.Data?["applied"]?.GetValue<bool>() == false)
            {
                var fields = Pairs(options);
                var preview = password.Length == 0 ? edit.Lines : [.. edit.Lines, "The new password was not kept: enter it again after confirming."];
                return Page(c, AccountPage.Confirm($"Confirm the change of {id}", $"/accounts/{Uri.EscapeDataString(id)}/edit", fields, preview, $"/accounts/{Uri.EscapeDataString(id)}", User(c), Csrf(c)));
            }

            form.Remove(AccountForm.PasswordField);
            return await AccountAsync(c, commands, id, Banner(edit), edit.Ok ? null : form).ConfigureAwait(false);
        });
    }

    // The account's one-click commands, and remove (previewed first).
    private static void MapAccountActions(RouteGroupBuilder console, ConsoleCommands commands)
    {
        foreach (var verb in new[] { "collect", "pause", "resume", "enable", "disable" })
        {
            console.MapPost($"/accounts/{{id}}/{verb}", async (HttpContext c, string id) =>
            {
                var done = await commands.RunAsync(["collector", verb, id], c.RequestAborted).ConfigureAwait(false);
                return await AccountAsync(c, commands, id, Banner(done), null).ConfigureAwait(false);
            });
        }

        console.MapPost("/accounts/{id}/remove", async (HttpContext c, string id) =>
        {
            var form = await Form(c).ConfigureAwait(false);
            var confirmed = form.GetValueOrDefault("confirm") == "yes";
            var removed = await commands.RunAsync(["collector", "remove", id, .. confirmed ? new[] { "--yes" } : []], c.RequestAborted).ConfigureAwait(false);
            if (removed.Ok && !confirmed)
            {
                return Page(c, AccountPage.Confirm($"Remove {id}?", $"/accounts/{Uri.EscapeDataString(id)}/remove", new Dictionary<string, string>(), removed.Lines, $"/accounts/{Uri.EscapeDataString(id)}", User(c), Csrf(c)));
            }

            return removed.Ok ? Results.Redirect("/") : await AccountAsync(c, commands, id, Banner(removed), null).ConfigureAwait(false);
        });
    }

    // The message window: marking lines (download, delete, clear) and reset.
    private static void MapMessages(RouteGroupBuilder console, ConsoleCommands commands)
    {
        console.MapGet("/accounts/{id}/messages", (HttpContext c, string id, int? page) => WindowAsync(c, commands, id, page ?? 1, null));
        console.MapPost("/accounts/{id}/messages", async (HttpContext c, string id) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var action = form["action"].ToString();
            var uidls = form["uidl"].Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).Distinct(StringComparer.Ordinal).ToList();
            if (action is not ("download" or "delete" or "clear") || uidls.Count == 0)
            {
                return await WindowAsync(c, commands, id, 1, PageLayout.Banner(false, ["Select one or more message-lines, then a task."])).ConfigureAwait(false);
            }

            var confirmed = form["confirm"].ToString() == "yes";
            var results = new List<CommandResponse>();
            foreach (var uidl in uidls)
            {
                results.Add(await commands.RunAsync(["collector", "mark", id, uidl, action, .. confirmed ? new[] { "--yes" } : []], c.RequestAborted).ConfigureAwait(false));
            }

            // Deleting a never-collected message loses the only copy: the command only previews it; ask once for all such lines.
            var previews = results.Select((r, i) => (Response: r, Uidl: uidls[i])).Where(r => r.Response.Ok && r.Response.Data?["applied"]?.GetValue<bool>() == false).ToList();
            if (previews.Count > 0)
            {
                var fields = new Dictionary<string, string> { ["action"] = action };
                var page = AccountPage.Confirm(
                    $"Confirm the deletion on {id}",
                    $"/accounts/{Uri.EscapeDataString(id)}/messages",
                    fields,
                    previews.SelectMany(p => p.Response.Lines),
                    $"/accounts/{Uri.EscapeDataString(id)}/messages",
                    User(c),
                    Csrf(c));
                // The lines to confirm ride along as repeated hidden fields.
                var hidden = string.Concat(previews.Select(p => new Html().Open("input", ("type", "hidden"), ("name", "uidl"), ("value", p.Uidl)).ToString()));
                return Page(c, page.Replace("<input type=\"hidden\" name=\"confirm\"", hidden + "<input type=\"hidden\" name=\"confirm\"", StringComparison.Ordinal));
            }

            var ok = results.All(r => r.Ok);
            return await WindowAsync(c, commands, id, 1, PageLayout.Banner(ok, results.SelectMany(r => r.Ok ? r.Lines : [r.Error ?? "failed"]))).ConfigureAwait(false);
        });

        console.MapPost("/accounts/{id}/reset", async (HttpContext c, string id) =>
        {
            var form = await Form(c).ConfigureAwait(false);
            var since = form.GetValueOrDefault("since", "").Trim();
            var confirmed = form.GetValueOrDefault("confirm") == "yes";
            var reset = await commands.RunAsync(["collector", "reset", id, .. since.Length > 0 ? new[] { "--since", since } : [], .. confirmed ? new[] { "--yes" } : []], c.RequestAborted).ConfigureAwait(false);
            if (reset.Ok && !confirmed)
            {
                var fields = new Dictionary<string, string>();
                if (since.Length > 0)
                {
                    fields["since"] = since;
                }

                return Page(c, AccountPage.Confirm($"Reset the collector of {id}?", $"/accounts/{Uri.EscapeDataString(id)}/reset", fields, reset.Lines, $"/accounts/{Uri.EscapeDataString(id)}/messages", User(c), Csrf(c)));
            }

            return await WindowAsync(c, commands, id, 1, Banner(reset)).ConfigureAwait(false);
        });
    }

    // The cluster page, the node's online switch, and the account rows' event stream.
    private static void MapClusterAndEvents(RouteGroupBuilder console, ConsoleCommands commands, AccountFeed feed)
    {
        console.MapGet("/cluster", Handler(c => ClusterAsync(c, commands, null)));
        console.MapPost("/cluster/online", Handler(async c =>
        {
            var form = await Form(c).ConfigureAwait(false);
            var state = form.GetValueOrDefault("state") == "offline" ? "offline" : "online";
            var done = await commands.RunAsync(["node", state], c.RequestAborted).ConfigureAwait(false);
            return await ClusterAsync(c, commands, Banner(done)).ConfigureAwait(false);
        }));

        console.MapGet("/events/accounts", async (HttpContext c, string? ids) =>
        {
            var followed = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(MaxFollowed).ToHashSet(StringComparer.Ordinal);
            c.Response.ContentType = "text/event-stream";
            c.Response.Headers.CacheControl = "no-store";
            await c.Response.WriteAsync("retry: 3000\n\n", c.RequestAborted).ConfigureAwait(false);
            await c.Response.Body.FlushAsync(c.RequestAborted).ConfigureAwait(false);
            try
            {
                await foreach (var row in feed.FollowAsync(followed, c.RequestAborted).ConfigureAwait(false))
                {
                    await c.Response.WriteAsync($"event: account\ndata: {row}\n\n", c.RequestAborted).ConfigureAwait(false);
                    await c.Response.Body.FlushAsync(c.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
        });
    }

    // A handler taking only the context, as a route handler whose result is written (not a RequestDelegate that drops it).
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static async Task<IResult> AccountAsync(HttpContext c, ConsoleCommands commands, string id, string? banner, IReadOnlyDictionary<string, string>? submitted)
    {
        var show = await commands.RunAsync(["collector", "show", id], c.RequestAborted).ConfigureAwait(false);
        if (!show.Ok || show.Data is null)
        {
            return Page(c, PageLayout.Document("Unknown account", "mailboxes", User(c), Csrf(c), (banner ?? "") + Banner(show)), StatusCodes.Status404NotFound);
        }

        var history = await commands.RunAsync(["collector", "history", id, "-n", "30"], c.RequestAborted).ConfigureAwait(false);
        var location = await commands.RunAsync(["shard", "entity-location", id], c.RequestAborted).ConfigureAwait(false);
        var node = AccountRow.ShortNode(location.Data?["address"]?.GetValue<string>() ?? "");
        return Page(c, AccountPage.Render(show.Data, history.Data as JsonArray ?? [], node, banner, submitted, User(c), Csrf(c)));
    }

    private static async Task<IResult> WindowAsync(HttpContext c, ConsoleCommands commands, string id, int page, string? banner)
    {
        var lines = await commands.RunAsync(["collector", "messages", id], c.RequestAborted).ConfigureAwait(false);
        return lines.Ok
            ? Page(c, CollectorWindowPage.Render(id, lines.Data as JsonArray ?? [], page, banner, User(c), Csrf(c)))
            : Page(c, PageLayout.Document("Unknown account", "mailboxes", User(c), Csrf(c), (banner ?? "") + Banner(lines)), StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ClusterAsync(HttpContext c, ConsoleCommands commands, string? banner)
    {
        var members = await commands.RunAsync(["cluster", "show"], c.RequestAborted).ConfigureAwait(false);
        var shards = await commands.RunAsync(["shard", "stats"], c.RequestAborted).ConfigureAwait(false);
        var tokens = await commands.RunAsync(["tokens", "show"], c.RequestAborted).ConfigureAwait(false);
        var node = await commands.RunAsync(["node", "show"], c.RequestAborted).ConfigureAwait(false);
        var failed = new[] { members, shards, tokens, node }.Where(r => !r.Ok).ToList();
        if (failed.Count > 0)
        {
            return Page(c, PageLayout.Document("Cluster", "cluster", User(c), Csrf(c), (banner ?? "") + PageLayout.Banner(false, failed.Select(f => f.Error ?? "failed"))), StatusCodes.Status503ServiceUnavailable);
        }

        return Page(c, ClusterPage.Render(members.Data as JsonArray ?? [], shards.Data as JsonArray ?? [], tokens.Data!, node.Data!, banner, User(c), Csrf(c)));
    }

    private static IResult Page(HttpContext c, string html, int status = StatusCodes.Status200OK)
    {
        c.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string Banner(CommandResponse response) => PageLayout.Banner(response.Ok, response.Ok ? response.Lines : [response.Error ?? "failed"]);

    private static CommandResponse Failure(string error) => CommandResponse.Failure(error);

    private static string User(HttpContext c) => c.User.Identity?.Name ?? "";

    private static string Csrf(HttpContext c) => c.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(c).RequestToken ?? "";

    private static async Task<Dictionary<string, string>> Form(HttpContext c)
    {
        var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
        return form.Where(f => f.Key != ConsoleSecurity.CsrfField).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
    }

    private static Dictionary<string, string> Pairs(List<string> options)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < options.Count; i += 2)
        {
            pairs[options[i][2..]] = options[i + 1];
        }

        return pairs;
    }

    // Only a path of this site: never an absolute or protocol-relative URL (no open redirect after login).
    private static string SafeReturn(string? url) =>
        url is { Length: > 0 } u && u.StartsWith('/') && !u.StartsWith("//", StringComparison.Ordinal) && !u.StartsWith("/\\", StringComparison.Ordinal) ? u : "/";

    private static IResult StaticAsset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("web/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
