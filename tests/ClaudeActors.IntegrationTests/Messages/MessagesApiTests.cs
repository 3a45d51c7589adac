using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Messages;

/// <summary>
/// The Anthropic Messages API end to end: the official Anthropic .NET SDK (and raw HTTP for the exact wire) -> our
/// server -> the real CLI -> the fake upstream.
/// </summary>
public sealed class MessagesApiTests
{
    private static MessageCreateParams Ask(string text, long maxTokens = 1024) => new()
    {
        Model = "sonnet",
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam(text)],
    };

    private static string TextOf(Message message) =>
        string.Concat(message.Content.Select(block => block.TryPickText(out var text) ? text.Text : ""));

    [Fact]
    public async Task A_text_answer_comes_back_as_a_Message_with_native_usage()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Hello from Claude.", usage: new FakeUsage(InputTokens: 12, OutputTokens: 7, CacheReadInputTokens: 100, CacheCreationInputTokens: 30)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);

        var message = await client.Messages.Create(Ask("Say hello") with { System = "Be brief." });

        Assert.Equal("Hello from Claude.", TextOf(message));
        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.Equal("end_turn", message.StopReason?.Raw());
        Assert.Equal(12, message.Usage.InputTokens);
        Assert.Equal(100, message.Usage.CacheReadInputTokens);
        Assert.Equal(30, message.Usage.CacheCreationInputTokens);
        Assert.Equal(7, message.Usage.OutputTokens);
        var sent = Assert.Single(upstream.MessageRequests);
        Assert.Contains("<system_prompt>\nBe brief.\n</system_prompt>", sent.UserTexts[0], StringComparison.Ordinal);
        Assert.Contains("Say hello", sent.LastUserText, StringComparison.Ordinal);
        Assert.Equal(1024, sent.MaxTokens);
    }

    [Fact]
    public async Task A_streamed_answer_aggregates_in_the_SDK_to_the_same_Message()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Streaming works fine.", chunkCount: 5, usage: new FakeUsage(20, 9)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);

        var message = await client.Messages.CreateStreaming(Ask("Stream please")).Aggregate();

        Assert.Equal("Streaming works fine.", TextOf(message));
        Assert.Equal("end_turn", message.StopReason?.Raw());
        Assert.Equal(20, message.Usage.InputTokens);
        Assert.Equal(9, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task The_raw_stream_has_the_exact_event_order_and_every_event_name_equals_its_data_type()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("One two three four.", chunkCount: 4));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await AnthropicClients.PostAsync(
            gateway, """{"model":"sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"count"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single(), StringComparison.Ordinal);
        var events = AnthropicClients.Events(await response.Content.ReadAsStringAsync());
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var names = events.Select(e => e.Name).ToList();
        Assert.Equal(["message_start", "ping", "content_block_start"], names.Take(3));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names.TakeLast(3));
        Assert.All(names.Skip(3).SkipLast(3), n => Assert.Equal("content_block_delta", n));
        Assert.True(names.Count > 6, "at least one delta");

        var start = events[0].Data.GetProperty("message");
        Assert.Equal("assistant", start.GetProperty("role").GetString());
        Assert.Equal(0, start.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("stop_reason").ValueKind);
        Assert.Equal("text", events[2].Data.GetProperty("content_block").GetProperty("type").GetString());
        Assert.All(events.Where(e => e.Name.StartsWith("content_block", StringComparison.Ordinal)), e => Assert.Equal(0, e.Data.GetProperty("index").GetInt32()));
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("One two three four.", text);
        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(5, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_base64_image_reaches_the_model_and_a_url_image_is_refused()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("A red pixel."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);
        const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        List<ContentBlockParam> content =
        [
            new TextBlockParam("What is this?"),
            new ImageBlockParam(new Base64ImageSource { Data = Png, MediaType = MediaType.ImagePng }),
        ];

        var message = await client.Messages.Create(new MessageCreateParams { Model = "sonnet", MaxTokens = 100, Messages = [new UserMessageParam(content)] });

        Assert.Equal("A red pixel.", TextOf(message));
        Assert.True(Assert.Single(upstream.MessageRequests).HasImage);

        using var refused = await AnthropicClients.PostAsync(
            gateway, """{"model":"sonnet","max_tokens":100,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""");
        Assert.Equal(400, (int)refused.StatusCode);
        var error = (await Sse.JsonAsync(refused)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("base64", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_sequences_cut_the_answer_and_name_the_sequence_that_stopped_it()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("alpha beta END gamma", chunkCount: 6));
        upstream.Enqueue(FakeReply.Text("alpha beta END gamma", chunkCount: 6));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);

        var plain = await client.Messages.Create(Ask("go") with { StopSequences = ["NOPE", "END"] });
        var streamed = await client.Messages.CreateStreaming(Ask("go again") with { StopSequences = ["END"] }).Aggregate();

        foreach (var message in new[] { plain, streamed })
        {
            Assert.Equal("alpha beta ", TextOf(message));
            Assert.Equal("stop_sequence", message.StopReason?.Raw());
            Assert.Equal("END", message.StopSequence);
        }
    }

    [Fact]
    public async Task Output_config_format_gives_the_JSON_the_CLI_validated_as_the_text()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.StructuredOutput("""{"name":"Ada","born":1815}"""));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await AnthropicClients.PostAsync(gateway, """
            {"model":"sonnet","max_tokens":500,"messages":[{"role":"user","content":"Who?"}],
             "output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"name":{"type":"string"},"born":{"type":"integer"}},"required":["name","born"]}}}}
            """);

        Assert.Equal(200, (int)response.StatusCode);
        var body = await Sse.JsonAsync(response);
        var answer = JsonDocument.Parse(body.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
        Assert.Equal("Ada", answer.GetProperty("name").GetString());
        Assert.Equal(1815, answer.GetProperty("born").GetInt32());
        Assert.Contains(FakeReply.StructuredOutputTool, upstream.MessageRequests[0].ToolNames);
    }

    [Fact]
    public async Task A_conversation_id_header_continues_the_conversation_and_comes_back()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("First answer."));
        upstream.Enqueue(FakeReply.Text("Second answer."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var first = await PostWithSessionAsync(gateway, """{"model":"sonnet","max_tokens":100,"messages":[{"role":"user","content":"first question"}]}""");
        using var second = await PostWithSessionAsync(gateway, """{"model":"sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"second question"}]}""");

        Assert.Equal("anthropic-conversation", first.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal("anthropic-conversation", second.Headers.GetValues("X-Session-Id").Single());
        var streamed = AnthropicClients.Events(await second.Content.ReadAsStringAsync());
        Assert.Equal("Second answer.", string.Concat(streamed.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString())));
        var continued = upstream.MessageRequests[1];
        Assert.Contains(continued.UserTexts, t => t.Contains("first question", StringComparison.Ordinal));
        Assert.Equal("second question", continued.LastUserText);
    }

    private static Task<HttpResponseMessage> PostWithSessionAsync(TestGateway gateway, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Session-Id", "anthropic-conversation");
        return gateway.Http.SendAsync(request);
    }
}
