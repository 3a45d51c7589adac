using System.Text;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.ChatCompletions;

/// <summary>Streaming: the SDK's view, the bytes on the wire, and tokens reaching the client while the model writes.</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task The_OpenAI_SDK_streams_the_answer_token_by_token_with_usage()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("The quick brown fox jumps.", chunkCount: 5, usage: new FakeUsage(12, 6, 4, 2)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var text = new StringBuilder();
        var contentUpdates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in gateway.OpenAiChat().CompleteChatStreamingAsync([new UserChatMessage("fox?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                contentUpdates += part.Text.Length > 0 ? 1 : 0;
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("The quick brown fox jumps.", text.ToString());
        Assert.Equal(5, contentUpdates);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(18, usage.InputTokenCount);
        Assert.Equal(4, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(6, usage.OutputTokenCount);
    }

    [Fact]
    public async Task The_bytes_on_the_wire_are_OpenAI_server_sent_events_ending_in_DONE()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Hello there", chunkCount: 2, usage: new FakeUsage(10, 2, 0, 0)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """
            {"model":"sonnet","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        var data = Sse.DataLines(body);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data.SkipLast(1).Select(Sse.Json).ToList();
        var id = chunks[0].GetProperty("id").GetString();
        Assert.All(chunks, c => Assert.Equal(id, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));

        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("", first.GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);

        var contents = chunks.Skip(1).Where(c => c.GetProperty("choices").GetArrayLength() == 1
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out _)).ToList();
        Assert.Equal("Hello there", string.Concat(contents.Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString())));

        var last = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", last.GetProperty("finish_reason").GetString());
        Assert.Equal("{}", last.GetProperty("delta").GetRawText());

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(10, usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Without_include_usage_no_usage_chunk_is_sent()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """{"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", data[^1]);
        Assert.All(data.SkipLast(1).Select(Sse.Json), c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.Equal("stop", Sse.Json(data[^2]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task The_first_token_reaches_the_client_while_the_model_is_still_writing()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("First words", " and the rest.", gate));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        using var timeout = new CancellationTokenSource(Sse.Generous);

        using var response = await Sse.PostAsync(gateway.Http, """{"stream":true,"messages":[{"role":"user","content":"go"}]}""", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var role = Sse.Json((await Sse.ReadEventAsync(reader, timeout.Token))!);
        var firstContent = Sse.Json((await Sse.ReadEventAsync(reader, timeout.Token))!);

        Assert.Equal("assistant", role.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("First words", firstContent.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.False(gate.IsReleased, "the upstream was still holding the rest of the answer");

        gate.Release();
        var rest = new StringBuilder();
        while (await Sse.ReadEventAsync(reader, timeout.Token) is { } data && data != "[DONE]")
        {
            var choice = Sse.Json(data).GetProperty("choices")[0];
            if (choice.GetProperty("delta").TryGetProperty("content", out var content))
            {
                rest.Append(content.GetString());
            }
        }

        Assert.Equal(" and the rest.", rest.ToString());
    }

    [Fact]
    public async Task Stop_sequences_apply_to_the_stream_even_when_split_across_deltas()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.FromChunks("alpha be", "ta END", "gamma"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """{"stream":true,"stop":["beta END"],"messages":[{"role":"user","content":"go"}]}""");

        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        var text = string.Concat(data.SkipLast(1).Select(Sse.Json)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var t) ? t.GetString() : ""));
        Assert.Equal("alpha ", text);
        Assert.Equal("stop", Sse.Json(data[^2]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", data[^1]);
    }

    [Fact]
    public async Task An_error_after_streaming_began_is_sent_as_an_error_event_and_not_retried()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.BrokenStream("Partial answ"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """{"stream":true,"messages":[{"role":"user","content":"go"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        var error = Sse.Json(data[^1]).GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain("[DONE]", data);
        Assert.Contains(data.SkipLast(1).Select(Sse.Json), c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString()!.Length > 0);
        Assert.Single(upstream.MessageRequests);
    }
}
