using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Observability;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The node's HTTP side, on Kestrel: the web console on <c>collector.web</c>'s port, and the health and metrics
/// endpoints on <c>collector.health</c>'s port and the console's. Started before the node joins its cluster, so
/// <c>/readyz</c> answers 503 until it is ready; the console's pages answer that the node is starting until the
/// command layer is attached. Every answer carries a Content-Security-Policy that allows the node's own files only;
/// console requests need a login (a cookie that is HttpOnly, SameSite=Strict and Secure under TLS) and every POST a
/// valid CSRF token. Disposing stops listening.
/// </summary>
public sealed class NodeWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AccountFeed? _feed;
    private readonly X509Certificate2? _certificate;

    private NodeWebServer(WebApplication app, AccountFeed? feed, X509Certificate2? certificate)
    {
        _app = app;
        _feed = feed;
        _certificate = certificate;
    }

    /// <summary>Where it listens (<c>http://127.0.0.1:PORT</c>, ...), for the start-up log line.</summary>
    public IReadOnlyList<string> Addresses => [.. _app.Urls];

    /// <summary>Starts listening; null when neither the console nor the health listener is configured.</summary>
    public static async Task<NodeWebServer?> StartAsync(CollectorOptions options, Readiness readiness, ConsoleCommands commands, ILoggingAdapter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var web = options.Web;
        var health = options.Health;
        if (!web.Enabled && !health.Enabled)
        {
            return null;
        }

        var certificate = web.Enabled ? web.Tls?.Load() : null;
        var tls = certificate is not null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "collector", ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.Sources.Clear(); // no ASPNETCORE_URLS or appsettings: the node file says where it listens
        builder.Logging.ClearProviders();
        ConfigureListeners(builder, web, health, certificate);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CollectorMetrics.MeterName).AddPrometheusExporter());
        if (web.Enabled)
        {
            AddConsoleServices(builder.Services, web, tls);
        }

        var app = builder.Build();
        var consolePort = web.Enabled ? web.Port : -1;
        UseSecurityHeaders(app, tls, consolePort);
        app.MapHealth(readiness);
        app.MapMetrics(health.MetricsToken);
        AccountFeed? feed = null;
        if (web.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            UseCsrfCheck(app);
            feed = new AccountFeed(commands, web.Refresh);
            ConsoleEndpoints.Map(app, web, commands, feed, new ConsoleLogin(web, commands, TimeProvider.System));
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            certificate?.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ConfigurationException($"collector.web / collector.health: cannot listen: {e.Message}", e);
        }

        var server = new NodeWebServer(app, feed, certificate);
        log.Info("HTTP listening on {0} ({1})", string.Join(", ", server.Addresses),
            string.Join("; ", new[] { web.Enabled ? $"web console on port {web.Port}{(tls ? ", TLS" : ", plain HTTP, loopback only")}" : null, "/healthz /readyz /metrics" }.Where(s => s is not null)));
        return server;
    }

    // Kestrel's limits, the console's listener (TLS when a certificate is given) and the health listener unless it shares the console's port.
    private static void ConfigureListeners(WebApplicationBuilder builder, WebConsoleOptions web, HealthOptions health, X509Certificate2? certificate)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = web.MaxConnections;
            kestrel.Limits.MaxRequestBodySize = 256 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            if (web.Enabled)
            {
                kestrel.Listen(Address(web.Hostname), web.Port, listen =>
                {
                    if (certificate is not null)
                    {
                        listen.UseHttps(certificate);
                    }
                });
            }

            if (health.Enabled && !(web.Enabled && health.Port == web.Port))
            {
                kestrel.Listen(Address(health.Hostname), health.Port);
            }
        });
    }

    // The console's session cookie, authorization and CSRF tokens.
    private static void AddConsoleServices(IServiceCollection services, WebConsoleOptions web, bool tls)
    {
        // Keys in memory only: sessions and CSRF tokens do not outlive the process (log in again after a restart).
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = ConsoleSecurity.SessionCookie(tls);
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = tls ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = web.SessionTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/login";
            cookie.AccessDeniedPath = "/login";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnRedirectToLogin = context =>
            {
                // A script's request (the live feed) gets 401; a page, the redirect to the login form.
                if (context.Request.Path.StartsWithSegments("/events", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                else
                {
                    context.Response.Redirect(context.RedirectUri);
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        services.AddAntiforgery(csrf =>
        {
            csrf.Cookie.Name = ConsoleSecurity.CsrfCookie(tls);
            csrf.Cookie.HttpOnly = true;
            csrf.Cookie.SameSite = SameSiteMode.Strict;
            csrf.Cookie.SecurePolicy = tls ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
            csrf.FormFieldName = ConsoleSecurity.CsrfField;
            csrf.HeaderName = ConsoleSecurity.CsrfHeader;
            csrf.SuppressXFrameOptionsHeader = true; // set by UseSecurityHeaders, as DENY
        });
    }

    // Every answer's security headers; the health listener serves the health paths only.
    private static void UseSecurityHeaders(WebApplication app, bool tls, int consolePort)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ConsoleSecurity.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (tls)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            // The health listener serves the health paths only; the console lives on its own port.
            if (context.Connection.LocalPort != consolePort && !HealthEndpoints.Paths.Contains(context.Request.Path.Value ?? ""))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    // A POST without a valid CSRF token is refused (400) before it reaches a route.
    private static void UseCsrfCheck(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Every state-changing request carries the CSRF token of a page this node served (login included).
            if (HttpMethods.IsPost(context.Request.Method))
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
                }
                catch (AntiforgeryValidationException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsync("refused: the request carries no valid CSRF token (reload the page and try again)\n", context.RequestAborted).ConfigureAwait(false);
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }

    private static IPAddress Address(string hostname) => hostname == "localhost" ? IPAddress.Loopback : IPAddress.Parse(hostname);
}
