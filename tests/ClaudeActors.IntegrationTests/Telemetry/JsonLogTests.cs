using System.Text.Json;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Telemetry;

/// <summary>
/// The server as a real process with <c>Logging:Format = Json</c>: every line it prints is one JSON object, the lines
/// of a request (on the HTTP side, in the conversation entity and on a stateless pool worker) carry its <c>RequestId</c>, and the prompt's text
/// appears only when <c>Logging:IncludePrompts</c> says so.
/// </summary>
public sealed class JsonLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Json_lines_carry_the_request_id_and_the_prompt_only_when_allowed(bool includePrompts)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = _ => FakeReply.Text("an answer without the marker");
        await using var server = await GatewayProcess.StartAsync(upstream.BaseUrl, Sse.Generous, s =>
        {
            s["ClaudeActors:Logging:Format"] = "Json";
            s["ClaudeActors:Logging:Level"] = "Debug";
            s["ClaudeActors:Logging:IncludePrompts"] = includePrompts ? "true" : "false";
        });
        var marker = "secret-marker-" + Guid.NewGuid().ToString("N");
        var requestId = "json-log-" + Guid.NewGuid().ToString("N");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = SessionApi.Json($$"""{"model":"default","session_id":"logged","messages":[{"role":"user","content":"{{marker}}"}]}"""),
        };
        request.Headers.Add("x-request-id", requestId);
        using var response = await server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        // The conversation entity logs its process start (Debug) inside the turn: on its side of the actor boundary.
        await Eventually.TrueAsync(() => Lines(server).Any(l => Property(l, "RequestId") == requestId && Property(l, "SourceContext")!.Contains("Conversation", StringComparison.Ordinal)), "a conversation line carries the request id");

        // A stateless turn (a legacy completion always is one) runs on a pool worker: its lines there carry the id too.
        var statelessId = "json-log-stateless-" + Guid.NewGuid().ToString("N");
        using var completion = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = SessionApi.Json("""{"model":"default","prompt":"Once upon a time"}"""),
        };
        completion.Headers.Add("x-request-id", statelessId);
        using var completed = await server.Http.SendAsync(completion);
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => Lines(server).Any(l => Property(l, "RequestId") == statelessId && IsWorkerSide(Property(l, "SourceContext"))), "a worker line carries the stateless request's id");

        var lines = Lines(server);
        Assert.Contains(lines, l => Property(l, "@m")?.Contains("Now listening on", StringComparison.Ordinal) == true);
        if (includePrompts)
        {
            var prompt = Assert.Single(lines, l => Property(l, "@m")?.Contains(marker, StringComparison.Ordinal) == true);
            Assert.Equal(requestId, Property(prompt, "RequestId"));
        }
        else
        {
            Assert.DoesNotContain(marker, server.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Every line printed so far, each parsed as one JSON object (a line that is not fails the test).</summary>
    private static List<JsonElement> Lines(GatewayProcess server) =>
        server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                try
                {
                    using var document = JsonDocument.Parse(line);
                    Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                    return document.RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw new Xunit.Sdk.XunitException($"Not a JSON line: {line} ({ex.Message})");
                }
            })
            .ToList();

    /// <summary>Lines of the worker pool and its CLI processes, not of the HTTP side.</summary>
    private static bool IsWorkerSide(string? category) =>
        category is not null && (category.StartsWith("ClaudeActors.Workers", StringComparison.Ordinal)
            || category.StartsWith("ClaudeActors.Processes", StringComparison.Ordinal)
            || category.StartsWith("ClaudeActors.Cli", StringComparison.Ordinal));

    private static string? Property(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;
}
