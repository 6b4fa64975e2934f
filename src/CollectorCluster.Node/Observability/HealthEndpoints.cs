using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// <c>/healthz</c> (the process answers: 200), <c>/readyz</c> (200 when every <see cref="Readiness"/> check passes,
/// else 503, each check on a line) and <c>/metrics</c> (OpenTelemetry's Prometheus exporter; behind a bearer token
/// when <c>collector.health.metrics-token</c> is set). GET only, no session, nothing secret.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The paths served without a console login.</summary>
    public static readonly IReadOnlySet<string> Paths = new HashSet<string>(StringComparer.Ordinal) { "/healthz", "/readyz", "/metrics" };

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static void MapHealth(this IEndpointRouteBuilder endpoints, Readiness readiness)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        endpoints.MapGet("/readyz", async (HttpContext context) =>
        {
            var checks = await readiness.CheckAsync(context.RequestAborted).ConfigureAwait(false);
            var ready = checks.All(c => c.Ok);
            var text = new StringBuilder(ready ? "ready\n" : "not ready\n");
            foreach (var check in checks)
            {
                text.Append(check.Name).Append(": ").Append(check.Ok ? "ok" : "FAIL").Append(" (").Append(check.Detail).Append(")\n");
            }

            return Results.Text(text.ToString(), "text/plain; charset=utf-8", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    /// <summary>
    /// The Prometheus scraping endpoint at <c>/metrics</c>; with <paramref name="token"/> set, a request without
    /// <c>Authorization: Bearer &lt;token&gt;</c> gets 401 (compared in constant time).
    /// </summary>
    public static void MapMetrics(this WebApplication app, string? token)
    {
        ArgumentNullException.ThrowIfNull(app);
        var expected = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        app.MapPrometheusScrapingEndpoint("/metrics").AddEndpointFilter(async (context, next) =>
        {
            if (expected is not null)
            {
                var given = SHA256.HashData(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers.Authorization.ToString()));
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    return Results.Text("the metrics need Authorization: Bearer <collector.health.metrics-token>\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
                }
            }

            return await next(context).ConfigureAwait(false);
        });
    }
}
