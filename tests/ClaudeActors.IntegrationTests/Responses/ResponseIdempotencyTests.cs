using System.Text;
using System.Text.Json;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>An <c>Idempotency-Key</c> on the Responses API works as on chat: a resend is replayed, with the same id.</summary>
public sealed class ResponseIdempotencyTests
{
    [Fact]
    public async Task A_keyed_resend_is_replayed_with_the_same_response_id_and_runs_once()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Only once."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (firstId, firstReplayed) = await PostKeyedAsync(gateway);
        var (secondId, secondReplayed) = await PostKeyedAsync(gateway);

        Assert.Equal(firstId, secondId);
        Assert.False(firstReplayed);
        Assert.True(secondReplayed);
        Assert.Single(upstream.MessageRequests);
        var (status, read, _) = await SendAsync(gateway, HttpMethod.Get, "v1/responses/" + firstId);
        Assert.Equal(200, status);
        Assert.Equal("Only once.", Str(read.GetProperty("output")[0].GetProperty("content")[0], "text"));
    }

    private static async Task<(string Id, bool Replayed)> PostKeyedAsync(TestGateway gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/responses", UriKind.Relative))
        {
            Content = new StringContent("""{"model":"sonnet","input":"Say it once"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "responses-key-1");
        using var response = await gateway.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Only once.", Str(body.GetProperty("output")[0].GetProperty("content")[0], "text"));
        return (Str(body, "id"), response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true");
    }
}
