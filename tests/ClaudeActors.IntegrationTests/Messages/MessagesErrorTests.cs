using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Messages;

/// <summary>
/// Every error of the Messages API in Anthropic's shape (<c>{"type":"error","error":{"type","message"},"request_id"}</c>)
/// with a <c>request-id</c> header, those of the shared pipeline included, and what the Anthropic SDK makes of them.
/// </summary>
public sealed class MessagesErrorTests
{
    private static async Task<JsonElement> AssertAnthropicErrorAsync(HttpResponseMessage response, int status, string type)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var id = response.Headers.GetValues("request-id").Single();
        Assert.StartsWith("req_", id, StringComparison.Ordinal);
        var body = await Sse.JsonAsync(response);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(id, body.GetProperty("request_id").GetString());
        return body.GetProperty("error");
    }

    [Fact]
    public async Task Bad_requests_get_400_invalid_request_error_naming_the_problem()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var noMaxTokens = await AnthropicClients.PostAsync(gateway, """{"model":"sonnet","messages":[{"role":"user","content":"hi"}]}""");
        var error = await AssertAnthropicErrorAsync(noMaxTokens, 400, "invalid_request_error");
        Assert.Equal("max_tokens: Field required", error.GetProperty("message").GetString());
        Assert.Equal("false", noMaxTokens.Headers.GetValues("x-should-retry").Single());

        using var serverTool = await AnthropicClients.PostAsync(
            gateway, """{"model":"sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""");
        Assert.Contains("server tools", (await AssertAnthropicErrorAsync(serverTool, 400, "invalid_request_error")).GetProperty("message").GetString(), StringComparison.Ordinal);

        using var document = await AnthropicClients.PostAsync(
            gateway, """{"model":"sonnet","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}""");
        Assert.Contains("'document'", (await AssertAnthropicErrorAsync(document, 400, "invalid_request_error")).GetProperty("message").GetString(), StringComparison.Ordinal);

        using var notJson = await AnthropicClients.PostAsync(gateway, "{", "v1/messages");
        await AssertAnthropicErrorAsync(notJson, 400, "invalid_request_error");
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task A_trailing_assistant_prefill_and_count_tokens_make_the_SDK_throw_a_bad_request()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);

        var prefill = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "sonnet",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Name a colour."), new AssistantMessageParam("The colour is")],
        }));
        Assert.Contains("prefill", prefill.ResponseBody, StringComparison.Ordinal);

        var count = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "sonnet",
            Messages = [new UserMessageParam("How many tokens?")],
        }));
        Assert.Contains("count_tokens is not supported", count.ResponseBody, StringComparison.Ordinal);
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task An_upstream_that_refuses_the_key_gives_401_authentication_error()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(401, "authentication_error", "invalid x-api-key");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var ex = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => AnthropicClients.For(gateway).Messages.Create(new MessageCreateParams
        {
            Model = "sonnet",
            MaxTokens = 100,
            Messages = [new UserMessageParam("hi")],
        }));

        Assert.Equal(401, (int)ex.StatusCode);
        Assert.Equal("authentication_error", JsonDocument.Parse(ex.ResponseBody).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_failure_after_the_stream_began_is_an_error_event_that_makes_the_SDK_throw()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.BrokenStream("Partial answ"));
        upstream.Enqueue(FakeReply.BrokenStream("Partial answ"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await AnthropicClients.PostAsync(
            gateway, """{"model":"sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"go"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        var events = AnthropicClients.Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("error", events[^1].Name);
        Assert.Equal("error", events[^1].Data.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(events[^1].Data.GetProperty("error").GetProperty("type").GetString()));
        Assert.DoesNotContain(events, e => e.Name == "message_stop");

        var client = AnthropicClients.For(gateway);
        await Assert.ThrowsAsync<AnthropicSseException>(async () =>
        {
            await foreach (var _ in client.Messages.CreateStreaming(new MessageCreateParams
            {
                Model = "sonnet",
                MaxTokens = 100,
                Messages = [new UserMessageParam("go again")],
            }))
            {
            }
        });
    }

    [Fact]
    public async Task Errors_of_the_shared_pipeline_are_in_Anthropic_shape_under_v1_messages_only()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var plainText = await AnthropicClients.PostAsync(gateway, "hello", "v1/messages", "text/plain");
        await AssertAnthropicErrorAsync(plainText, 415, "invalid_request_error");

        using var unknown = await AnthropicClients.PostAsync(gateway, "{}", "v1/messages/batches");
        await AssertAnthropicErrorAsync(unknown, 404, "not_found_error");

        using var wrongMethod = await gateway.Http.GetAsync(new Uri("v1/messages", UriKind.Relative));
        await AssertAnthropicErrorAsync(wrongMethod, 405, "not_found_error");

        // The OpenAI surface keeps its own shape.
        using var openAi = await gateway.Http.GetAsync(new Uri("v1/nothing-here", UriKind.Relative));
        Assert.Equal(404, (int)openAi.StatusCode);
        Assert.Equal("invalid_request_error", (await Sse.JsonAsync(openAi)).GetProperty("error").GetProperty("type").GetString());
        Assert.False(openAi.Headers.Contains("request-id"));
    }
}
