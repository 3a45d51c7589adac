using System.Net;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Status;

/// <summary><c>GET /v1/status</c> of a gateway, as the status page reads it.</summary>
internal static class StatusApi
{
    public static async Task<JsonElement> GetAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("v1/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Sse.JsonAsync(response);
    }
}
