using ClaudeActors.Hosting;
using ClaudeActors.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClaudeActors.Server.Telemetry;

/// <summary>
/// OpenTelemetry: our meter and ASP.NET Core's (request durations by route and status), runtime metrics, a Prometheus
/// scrape endpoint at <c>/metrics</c>; spans of ASP.NET Core and ours, exported over OTLP when
/// <see cref="TelemetryOptions.OtlpEndpoint"/> is set; and the request id of every request (<see cref="RequestTelemetry"/>).
/// </summary>
internal static class TelemetryHostingExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddClaudeActorsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(options.ServiceName) ? "claude-actors" : options.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(ClaudeActorsTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(ClaudeActorsTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath));
                if (options.OtlpEndpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                {
                    tracing.AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = uri;
                        otlp.Protocol = options.OtlpProtocol;
                    });
                }
            });
        return services;
    }

    /// <summary>The request id middleware: first, so that every answer (errors included) carries the id.</summary>
    public static WebApplication UseRequestTelemetry(this WebApplication app)
    {
        app.UseMiddleware<RequestTelemetry>();
        return app;
    }

    /// <summary><c>GET /metrics</c>: the Prometheus text format of every instrument.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
