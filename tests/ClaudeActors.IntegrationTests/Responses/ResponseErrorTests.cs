using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>Requests the Responses API refuses: a 400 in OpenAI's error shape naming the parameter, and nothing runs.</summary>
public sealed class ResponseErrorTests
{
    [Theory]
    [InlineData("""{"model":"sonnet","input":"hi","previous_response_id":"resp_unknown"}""", "previous_response_id", "previous_response_not_found")]
    [InlineData("""{"model":"sonnet","input":"hi","previous_response_id":"resp_0123456789abcdef01234567bm8tb25l"}""", "previous_response_id", "previous_response_not_found")]
    [InlineData("""{"model":"sonnet","input":"hi","tools":[{"type":"web_search"}]}""", "tools[0].type", "unsupported_tool_type")]
    [InlineData("""{"model":"sonnet","input":"hi","tool_choice":{"type":"file_search"}}""", "tool_choice", null)]
    [InlineData("""{"model":"sonnet"}""", "input", null)]
    [InlineData("""{"model":"sonnet","input":42}""", "input", null)]
    [InlineData("""{"model":"sonnet","input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0].type", null)]
    [InlineData("""{"model":"sonnet","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "input[0].content[0].type", null)]
    [InlineData("""{"model":"sonnet","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]}""", "messages[0].content[0].image_url.url", "invalid_image_url")]
    [InlineData("""{"model":"sonnet","input":"hi","background":true}""", "background", null)]
    [InlineData("""{"model":"sonnet","input":"hi","conversation":"conv_1"}""", "conversation", null)]
    [InlineData("""{"model":"sonnet","input":"hi","text":{"format":{"type":"json_schema","schema":{"type":"object"}}}}""", "text.format.name", null)]
    [InlineData("""{"model":"sonnet","input":"hi","max_output_tokens":0}""", "max_output_tokens", null)]
    [InlineData("""{"model":"sonnet","input":"hi","reasoning":{"effort":"huge"}}""", "reasoning.effort", null)]
    [InlineData("""{"model":"sonnet","input":"hi","metadata":{"n":1}}""", "metadata", null)]
    public async Task A_bad_request_is_a_400_that_names_the_parameter(string body, string param, string? code)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (status, json, _) = await PostAsync(gateway, body);

        Assert.Equal(400, status);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", Str(error, "type"));
        Assert.Equal(param, Str(error, "param"));
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(Str(error, "message")));
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_cancel_is_refused()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "v1/responses/resp_nope"), (HttpMethod.Delete, "v1/responses/resp_nope"), (HttpMethod.Get, "v1/responses/resp_nope/input_items") })
        {
            var (status, json, _) = await SendAsync(gateway, method, path);
            Assert.Equal(404, status);
            Assert.Equal("Response with id 'resp_nope' not found.", Str(json.GetProperty("error"), "message"));
        }

        var (cancel, _, _) = await SendAsync(gateway, HttpMethod.Post, "v1/responses/resp_nope/cancel");
        Assert.Equal(400, cancel);
    }
}
