namespace ClaudeActors.IntegrationTests.Support;

/// <summary>Reads the workers' load from <c>GET /health</c>, as an operator would.</summary>
internal static class HealthProbe
{
    /// <summary>Waits until <c>/health</c> reports no worker taken and no request waiting.</summary>
    public static Task WorkersIdleAsync(HttpClient http) => Eventually.TrueAsync(
        async () =>
        {
            using var response = await http.GetAsync("health");
            var workers = (await Sse.JsonAsync(response)).GetProperty("workers");
            return workers.GetProperty("active").GetInt32() == 0 && workers.GetProperty("queued").GetInt32() == 0;
        },
        "/health reports every worker free");
}
