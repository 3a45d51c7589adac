namespace ClaudeActors.Server.Status;

/// <summary>
/// <c>GET /</c>, the status page, and <c>GET /v1/status</c>, the JSON it polls every second. With API keys configured,
/// <c>ApiKeyAuthentication</c> lets only an admin key read <c>/v1/status</c>; the page itself holds no data, and asks
/// for a key when <c>/v1/status</c> answers 401 or 403.
/// </summary>
internal static class StatusEndpoints
{
    public const string PagePath = "/";

    public const string DataPath = "/v1/status";

    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, StatusPage.Serve).ExcludeFromDescription();

        var data = app.MapGroup(DataPath);
        data.MapGet(string.Empty, GetAsync);
        return app;
    }

    /// <summary>
    /// Paths whose requests are not listed among the recent requests: the status page and its polling, health probes
    /// and metrics scrapes (load balancers and Prometheus call them every few seconds; they would crowd out the rest).
    /// </summary>
    public static bool IsUnrecorded(PathString path) =>
        path == PagePath || path.StartsWithSegments(DataPath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments("/favicon.ico");

    private static async Task<IResult> GetAsync(StatusReporter reporter, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(await reporter.ReportAsync(cancellationToken), OpenAi.OpenAiJson.Options);
    }
}
