using Brook.Broker.Hosting;
using Microsoft.AspNetCore.Http;

namespace Brook.Http.Admin;

/// <summary>
/// The admin API every broker serves: liveness, readiness and Prometheus metrics.
/// <list type="bullet">
/// <item><c>GET /v1/status/live</c>: 200 while the process serves HTTP at all.</item>
/// <item><c>GET /v1/status/ready</c>: 200 while the Kafka listener accepts and the server is not stopping, else 503.</item>
/// <item><c>GET /metrics</c>: every metric of the server, in the Prometheus text format.</item>
/// </list>
/// </summary>
public sealed class AdminApiModule : IAdminHttpModule
{
    public const string LivePath = "/v1/status/live";
    public const string ReadyPath = "/v1/status/ready";
    public const string MetricsPath = "/metrics";

    public void Map(AdminRoutes routes, BrookServer server)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(server);
        routes.MapGet(LivePath, context => WriteStatus(context, StatusCodes.Status200OK, "live"));
        routes.MapGet(ReadyPath, context => server.IsReady
            ? WriteStatus(context, StatusCodes.Status200OK, "ready")
            : WriteStatus(context, StatusCodes.Status503ServiceUnavailable, server.State.ToString().ToLowerInvariant()));
        routes.MapGet(MetricsPath, context =>
        {
            context.Response.ContentType = PrometheusTextFormat.ContentType;
            return context.Response.WriteAsync(PrometheusTextFormat.Render(server.Metrics.Registry));
        });
    }

    private static Task WriteStatus(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body + "\n");
    }
}
