using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tools;

/// <summary>Tool-calling requests the server cannot honour get a 400 in OpenAI's error shape, and cost no upstream call.</summary>
public sealed class ToolCallErrorTests
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    private static async Task<(int Status, JsonElement Error)> PostAsync(TestGateway gateway, string body, string? sessionId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (sessionId is not null)
        {
            request.Headers.Add("X-Session-Id", sessionId);
        }

        using var response = await gateway.Http.SendAsync(request);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, json.TryGetProperty("error", out var error) ? error : json);
    }

    private static string Body(string messages, string extra = "") =>
        "{\"model\":\"sonnet\",\"tools\":[" + Weather + "],\"messages\":" + messages + extra + "}";

    private const string CallAndResult = """
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_e1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
         {"role":"tool","tool_call_id":"toolu_e1","content":"22C"}]
        """;

    [Fact]
    public async Task A_bad_tool_schema_is_a_400_naming_the_parameter()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (status, error) = await PostAsync(gateway, """{"model":"sonnet","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"array"}}}]}""");

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("tools[0].function.parameters", error.GetProperty("param").GetString());
        Assert.Equal("invalid_function_parameters", error.GetProperty("code").GetString());
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task Tool_results_for_a_conversation_that_waits_on_no_call_are_a_400()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (status, error) = await PostAsync(gateway, Body(CallAndResult), "tools-no-pending");

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("no pending tool call", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task An_unknown_tool_call_id_and_a_new_message_while_calls_wait_are_400s_and_the_calls_still_wait()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_real", "get_weather", """{"city":"Paris"}""")));
        upstream.Enqueue(FakeReply.Text("Sunny."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var (first, _) = await PostAsync(gateway, Body("""[{"role":"user","content":"Weather in Paris?"}]"""), "tools-errors");
        Assert.Equal(200, first);

        var (unknown, unknownError) = await PostAsync(gateway, Body(CallAndResult), "tools-errors");
        var (fresh, freshError) = await PostAsync(gateway, Body("""[{"role":"user","content":"Something else"}]"""), "tools-errors");

        Assert.Equal(400, unknown);
        Assert.Contains("Unknown tool_call_id toolu_e1", unknownError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, fresh);
        Assert.Contains("waits on the results of tool calls toolu_real", freshError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(upstream.MessageRequests);

        var (ok, _) = await PostAsync(gateway, Body(CallAndResult.Replace("toolu_e1", "toolu_real", StringComparison.Ordinal)), "tools-errors");
        Assert.Equal(200, ok);
        Assert.Equal([("toolu_real", "22C", false)], upstream.MessageRequests[1].ToolResults);
    }
}
