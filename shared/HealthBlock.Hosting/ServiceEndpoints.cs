using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace HealthBlock.Hosting;

/// <summary>
/// The three routes every role serves beside its own: <c>GET /healthz</c> (200 while live, else 503),
/// <c>GET /readyz</c> (200 while ready, else 503; both answer one line of text) and <c>GET /metrics</c> (Prometheus text
/// format, exported by OpenTelemetry from the role's <see cref="System.Diagnostics.Metrics.Meter"/>s).
/// </summary>
public static class ServiceEndpoints
{
    /// <summary>Liveness route.</summary>
    public const string Health = "/healthz";

    /// <summary>Readiness route.</summary>
    public const string Ready = "/readyz";

    /// <summary>Prometheus scrape route.</summary>
    public const string Metrics = "/metrics";

    /// <summary>Every route mapped by <see cref="MapServiceEndpoints"/>.</summary>
    public static IReadOnlyList<string> Routes { get; } = [Health, Ready, Metrics];

    /// <summary>Collects the named meters (and nothing else) for the Prometheus exporter.</summary>
    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services, IEnumerable<string> meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var names = meters.ToArray();
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(names);
            m.AddPrometheusExporter(o => o.DisableTotalNameSuffixForCounters = false);
        });
        return services;
    }

    /// <summary>Maps <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> (needs <see cref="AddServiceTelemetry"/>).</summary>
    public static IEndpointRouteBuilder MapServiceEndpoints(this IEndpointRouteBuilder app, IRoleHealth health)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(health);
        app.MapGet(Health, () => Answer(health.Liveness()));
        app.MapGet(Ready, () => Answer(health.Readiness()));
        app.MapPrometheusScrapingEndpoint(Metrics);
        return app;
    }

    private static IResult Answer(HealthState state) =>
        Results.Text((state.Ok ? "ok: " : "unavailable: ") + state.Detail + "\n", "text/plain", statusCode: state.Ok ? 200 : 503);
}
