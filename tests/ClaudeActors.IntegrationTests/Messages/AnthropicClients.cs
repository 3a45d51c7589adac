using System.Net.Http.Headers;
using System.Text;
using Anthropic;
using Anthropic.Core;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Messages;

/// <summary>The official Anthropic .NET SDK's client for a gateway under test, and raw posts to its Messages API.</summary>
internal static class AnthropicClients
{
    /// <summary>
    /// A client whose base URL is the server root (the SDK adds <c>/v1/messages</c>), retries off so the server's
    /// behaviour shows; with a <paramref name="sessionId"/>, every request carries it as <c>X-Session-Id</c>.
    /// </summary>
    public static AnthropicClient For(TestGateway gateway, string? sessionId = null)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        if (sessionId is not null)
        {
            http.DefaultRequestHeaders.Add("X-Session-Id", sessionId);
        }

        return new AnthropicClient(new ClientOptions
        {
            BaseUrl = gateway.BaseUrl.ToString().TrimEnd('/'),
            ApiKey = "not-used",
            MaxRetries = 0,
            HttpClient = http,
            Timeout = TimeSpan.FromMinutes(3),
        });
    }

    /// <summary>Posts <paramref name="json"/> to <paramref name="path"/> as the SDK would (x-api-key, anthropic-version).</summary>
    public static Task<HttpResponseMessage> PostAsync(TestGateway gateway, string json, string path = "v1/messages", string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("x-api-key", "not-used");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return gateway.Http.SendAsync(request);
    }

    /// <summary>The events of a complete Anthropic SSE body: each one's <c>event:</c> name and <c>data:</c> JSON.</summary>
    public static List<(string Name, System.Text.Json.JsonElement Data)> Events(string body)
    {
        var events = new List<(string, System.Text.Json.JsonElement)>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            events.Add((lines[0]["event: ".Length..], System.Text.Json.JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone()));
        }

        return events;
    }
}
