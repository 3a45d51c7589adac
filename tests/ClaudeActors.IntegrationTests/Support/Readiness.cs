using System.Text.Json;
using ClaudeActors.Server.Health;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary><c>GET /health/ready</c> of a gateway, for tests that break and repair what a turn needs.</summary>
internal static class Readiness
{
    /// <summary>Runs the CLI probe now: at start-up it runs in the background, and readiness waits for its answer.</summary>
    public static Task ProbeCliAsync(TestGateway gateway) => gateway.Get<CliProbe>().ProbeAsync(CancellationToken.None);

    public static async Task<(int Status, JsonElement Body)> GetAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("health/ready");
        return ((int)response.StatusCode, await Sse.JsonAsync(response));
    }
}
