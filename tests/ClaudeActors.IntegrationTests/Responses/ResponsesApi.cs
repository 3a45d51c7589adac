using System.ClientModel;
using System.Text;
using System.Text.Json;
using ClaudeActors.Testing.Gateway;
using OpenAI.Responses;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>The Responses API as tests use it: the official SDK's client, raw posts, and SSE events as they are on the wire.</summary>
internal static class ResponsesApi
{
    /// <summary>The OpenAI SDK's Responses client for the gateway (its retries off, so the server's behaviour shows).</summary>
    public static ResponsesClient Client(TestGateway gateway) => new(
        new ApiKeyCredential("not-used"),
        new ResponsesClientOptions
        {
            Endpoint = new Uri(gateway.BaseUrl, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(3),
        });

    public static async Task<(int Status, JsonElement Body, string Raw)> PostAsync(TestGateway gateway, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PostAsync(new Uri("v1/responses", UriKind.Relative), content);
        var raw = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone(), raw);
    }

    public static async Task<(int Status, JsonElement Body, string Raw)> SendAsync(TestGateway gateway, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await gateway.Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone(), raw);
    }

    /// <summary>
    /// Posts a streamed request and returns its events, checking the framing of each: an <c>event:</c> line equal to
    /// the data's <c>type</c>, one <c>data:</c> line, and <c>sequence_number</c>s 0, 1, 2… with no gap; no <c>[DONE]</c>.
    /// </summary>
    public static async Task<List<JsonElement>> StreamAsync(TestGateway gateway, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PostAsync(new Uri("v1/responses", UriKind.Relative), content);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        var events = new List<JsonElement>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add(data);
        }

        return events;
    }

    public static string Type(JsonElement ev) => ev.GetProperty("type").GetString()!;

    public static string Str(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
