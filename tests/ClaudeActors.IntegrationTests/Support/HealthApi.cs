using System.Text.Json;
using ClaudeActors.Server.Health;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>A gateway's health endpoints, read as an operator would: <c>GET /health</c>, <c>/health/live</c> and <c>/health/ready</c>.</summary>
internal static class HealthApi
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

    /// <summary>Runs the CLI probe now: at start-up it runs in the background, and readiness waits for its answer.</summary>
    public static Task ProbeCliAsync(TestGateway gateway) => gateway.Get<CliProbe>().ProbeAsync(CancellationToken.None);

    /// <summary><c>GET /health/live</c>: its status (the ASP.NET Core liveness checks).</summary>
    public static async Task<int> LiveAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("health/live");
        return (int)response.StatusCode;
    }

    /// <summary><c>GET /health/ready</c>: its status and body.</summary>
    public static async Task<(int Status, JsonElement Body)> ReadyAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("health/ready");
        return ((int)response.StatusCode, await Sse.JsonAsync(response));
    }
}
