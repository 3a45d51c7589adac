using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.ChatCompletions;

/// <summary>Bad input gets a 400 in the OpenAI error shape, and no CLI is started for it.</summary>
public sealed class BadRequestTests
{
    [Theory]
    [InlineData("{not json", null)]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"n":2,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""", "messages")]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}""", "tools")]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"f"}}],"response_format":{"type":"json_object"},"messages":[{"role":"user","content":"hi"}]}""", "response_format")]
    [InlineData("""{"temperature":5,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"reasoning_effort":"extreme","messages":[{"role":"user","content":"hi"}]}""", "reasoning_effort")]
    public async Task Bad_input_gets_a_400_with_an_OpenAI_error(string body, string? param)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Parameters_accepted_for_compatibility_do_not_fail_the_request()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """
            {"model":"gpt-4o","temperature":0.2,"top_p":0.9,"presence_penalty":0.1,"frequency_penalty":0.1,"seed":7,"user":"u1",
             "logprobs":true,"top_logprobs":2,"n":1,"messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.Equal(200, (int)response.StatusCode);
    }
}
